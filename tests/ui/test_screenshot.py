"""``workstation open --screenshot``: the PNG equals OpenSlide's own rendering.

The reference for each downsample is computed independently of the viewer: OpenSlide's
``read_region`` at the best level, resized with PIL's box filter (area average) when
the downsample falls between pyramid levels.  The slide carries 1-px grid lines and
text, so a one-pixel misplacement fails -- the negative control proves it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import openslide
import pytest
from PIL import Image

from desktop_app.cli import open_cmd

THRESHOLD = 2.0  # mean absolute difference, grey levels per channel


def run_open(argv: list[str]) -> int:
    """Run ``workstation open ...`` in-process through the real argument parser."""
    parser = argparse.ArgumentParser(prog="workstation")
    parser.add_argument("--data-dir")
    open_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["open", *argv])
    return int(args.func(args))


def reference(path: Path, x: float, y: float, ds: float, w: int, h: int) -> np.ndarray:
    """What OpenSlide shows for a ``w`` x ``h`` view centred on ``(x, y)`` at ``ds``."""
    with openslide.OpenSlide(str(path)) as slide:
        level = slide.get_best_level_for_downsample(ds)
        lds = slide.level_downsamples[level]
        ox, oy = x - w / 2 * ds, y - h / 2 * ds
        size = (round(w * ds / lds), round(h * ds / lds))
        region = slide.read_region((round(ox), round(oy)), level, size)
    white = Image.new("RGBA", region.size, (255, 255, 255, 255))
    rgb = Image.alpha_composite(white, region).convert("RGB")
    if rgb.size != (w, h):
        rgb = rgb.resize((w, h), Image.Resampling.BOX)
    return np.asarray(rgb).astype(np.int16)


def mad(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


@pytest.mark.parametrize(
    ("x", "y", "ds", "w", "h"),
    [
        (3000, 2500, 1.0, 400, 300),  # level 0, nuclei and "col,row" labels
        (4000, 3000, 4.0, 400, 300),  # exactly level 1
        (4096, 3072, 32.0, 240, 160),  # between levels 2 (16x) and 3 (64x)
    ],
)
def test_screenshot_matches_openslide(
    qapp: object, slide_path: Path, tmp_path: Path, x: float, y: float, ds: float, w: int, h: int
) -> None:
    out = tmp_path / "view.png"
    rc = run_open(
        [str(slide_path), "--goto", f"{x},{y},{ds}", "--size", f"{w}x{h}", "--screenshot", str(out)]
    )
    assert rc == 0
    shot = np.asarray(Image.open(out).convert("RGB")).astype(np.int16)
    assert shot.shape == (h, w, 3)
    ref = reference(slide_path, x, y, ds, w, h)
    assert mad(shot, ref) < THRESHOLD
    # negative control: the same comparison against a reference one pixel off must fail
    shifted = reference(slide_path, x + ds, y, ds, w, h)
    assert mad(shot, shifted) > THRESHOLD
    shifted = reference(slide_path, x, y + ds, ds, w, h)
    assert mad(shot, shifted) > THRESHOLD


def test_screenshot_default_is_fitted(qapp: object, slide_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "fit.png"
    assert run_open([str(slide_path), "--size", "320x200", "--screenshot", str(out)]) == 0
    img = Image.open(out)
    assert img.size == (320, 200)


def _env(**overrides: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_cli_screenshot_in_a_fresh_process(slide_path: Path, tmp_path: Path) -> None:
    """The real entry point, with no display: offscreen is chosen automatically."""
    out = tmp_path / "cli.png"
    env = _env(QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_app.cli",
            "open",
            str(slide_path),
            "--goto",
            "4000,3000,8",
            "--size",
            "400x250",
            "--screenshot",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert Image.open(out).size == (400, 250)


def test_screenshot_of_a_plain_file_is_opaque_rgb_without_the_annotation_stack(
    slide_path: Path, tmp_path: Path
) -> None:
    """A slide the cache does not know needs neither SQLAlchemy nor the annotation
    services (most of the start-up time when they were imported anyway), and the PNG
    has no alpha channel to compress (every pixel of a view is opaque)."""
    out = tmp_path / "plain.png"
    script = (
        "import sys\n"
        "from desktop_app.cli import main\n"
        f"rc = main(['--data-dir', {str(tmp_path / 'data')!r}, 'open', {str(slide_path)!r},"
        f" '--goto', '4000,3000,4', '--size', '200x120', '--screenshot', {str(out)!r}])\n"
        "print(rc, sorted(m for m in ('sqlalchemy', 'desktop_app.services.annotations')"
        " if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.split("\n")[-2] == "0 []", proc.stdout + proc.stderr
    img = Image.open(out)
    assert (img.mode, img.size) == ("RGB", (200, 120))


@pytest.mark.parametrize("content", [b"", b"not a slide at all\n" * 100])
def test_cli_unreadable_file_is_one_line(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "broken.svs"
    bad.write_bytes(content)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_app.cli",
            "open",
            str(bad),
            "--screenshot",
            str(tmp_path / "x.png"),
        ],
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_no_display_is_one_line_and_exit_2(slide_path: Path) -> None:
    env = _env(QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", "open", str(slide_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    # The way out on a headless box is Xvfb or --screenshot; QT_QPA_PLATFORM=offscreen
    # would start a window nobody can see or close.
    assert proc.stderr.strip().splitlines() == [
        "workstation: no display available (DISPLAY/WAYLAND_DISPLAY unset); run under a "
        "desktop session or Xvfb (xvfb-run workstation ...); "
        "`workstation open SLIDE --screenshot OUT.png` needs no display"
    ]


def test_display_available_rules() -> None:
    from desktop_app.ui.environment import display_available

    assert not display_available({}, "linux")
    assert display_available({"DISPLAY": ":0"}, "linux")
    assert display_available({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert display_available({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not display_available({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert display_available({}, "darwin")
