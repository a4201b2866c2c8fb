"""The foundation commands, run as a user runs them: a real process, a real data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openslide

from desktop_app import __version__


def workstation(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DISPLAY", None)
    full_env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


def test_version() -> None:
    result = workstation("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"workstation {__version__}"


def test_demo_creates_project_once_and_images_lists_it(tmp_path: Path) -> None:
    env = {"WORKSTATION_DATA_DIR": str(tmp_path / "data")}  # the env var, not --data-dir
    first = workstation("demo", "--no-gui", env=env)
    assert first.returncode == 0, first.stderr
    slide = tmp_path / "data" / "slides" / "demo.svs"
    with openslide.OpenSlide(slide) as s:
        assert s.properties["openslide.vendor"] == "aperio"
    second = workstation("demo", "--no-gui", env=env)
    assert second.returncode == 0 and "generating" not in second.stdout
    listing = workstation("images", "--json", env=env)
    images = json.loads(listing.stdout)
    assert len(images) == 1
    assert images[0]["project"] == "Demo project"
    assert images[0]["annotations"] == 6
    assert images[0]["mpp"] == 0.25
    table = workstation("--data-dir", str(tmp_path / "data"), "images")
    assert "Demo project / demo.svs" in table.stdout


def test_demo_without_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {"WORKSTATION_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": ""}
    result = workstation("demo", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0]


def test_future_cache_is_refused_with_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert workstation("--data-dir", str(data), "images").returncode == 0
    import sqlite3

    with sqlite3.connect(data / "cache.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    result = workstation("--data-dir", str(data), "images")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("workstation: this cache was written by a newer")
    assert "Traceback" not in result.stderr


def test_open_by_cached_image_id_writes_screenshot(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert workstation("--data-dir", data, "demo", "--no-gui").returncode == 0
    out = tmp_path / "view.png"
    result = workstation(
        "--data-dir",
        data,
        "open",
        "1",
        "--goto",
        "20000,15000,8",
        "--size",
        "400x300",
        "--screenshot",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    from PIL import Image

    with Image.open(out) as img:
        assert img.size == (400, 300)
    missing = workstation("--data-dir", data, "open", "42", "--screenshot", str(out))
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        "workstation: no such slide file or cached image: 42"
        " (`workstation images` lists the images)"
    )


def test_screenshot_includes_cached_annotations(tmp_path: Path) -> None:
    """The demo's Stroma rectangle (0.55-0.68 w, 0.30-0.42 h) appears in the PNG."""
    data = tmp_path / "data"
    assert workstation("--data-dir", str(data), "demo", "--no-gui").returncode == 0
    slide = str(data / "slides" / "demo.svs")
    args = ("open", slide, "--goto", "24500,10800,8", "--size", "400x300", "--screenshot")
    with_ann, without = tmp_path / "with.png", tmp_path / "without.png"
    assert workstation("--data-dir", str(data), *args, str(with_ann)).returncode == 0
    assert workstation("--data-dir", str(tmp_path / "empty"), *args, str(without)).returncode == 0
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(with_ann).convert("RGB"), dtype=float)
    b = np.asarray(Image.open(without).convert("RGB"), dtype=float)
    # the rectangle's left edge is at x = 22000 -> (22000 - 24500) / 8 + 200 = -112 (off
    # screen); its inside covers the view's centre: tinted there, identical tiles elsewhere
    assert np.abs(a[150, 200] - b[150, 200]).sum() > 20
    assert a.shape == b.shape


def test_an_unexpected_error_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """A cache directory that is a file: whatever breaks, the user gets one line."""
    blocker = tmp_path / "data"
    blocker.mkdir()
    (blocker / "cache.sqlite").mkdir()  # a directory where the cache file should be
    result = workstation("--data-dir", str(blocker), "images")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
