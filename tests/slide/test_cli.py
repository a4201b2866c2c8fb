"""``workstation make-slide`` through the real CLI entry point."""

from __future__ import annotations

from pathlib import Path

import openslide
import pytest

from desktop_app.cli import main


def test_make_slide_writes_svs_and_prints_path_and_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "made.svs"
    code = main(["make-slide", str(out), "--width", "1500", "--height", "1000", "--seed", "2"])
    assert code == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "1500x1000" in printed
    with openslide.OpenSlide(out) as slide:
        assert slide.dimensions == (1500, 1000)
        assert slide.properties["openslide.vendor"] == "aperio"


def test_format_from_suffix_and_explicit_mpp(tmp_path: Path) -> None:
    out = tmp_path / "made.tif"
    assert main(["make-slide", str(out), "--width", "800", "--height", "600", "--mpp", "0.5"]) == 0
    with openslide.OpenSlide(out) as slide:
        assert slide.properties["openslide.vendor"] == "generic-tiff"
        assert float(slide.properties["openslide.mpp-x"]) == pytest.approx(0.5)


@pytest.mark.parametrize(
    "args",
    [
        ["--width", "-5"],
        ["--width", "abc"],
        ["--mpp", "0"],
        ["--format", "png"],
    ],
)
def test_bad_arguments_exit_non_zero_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["make-slide", str(tmp_path / "x.svs"), *args])
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("workstation make-slide:") and "\n" not in err
    assert not (tmp_path / "x.svs").exists()


def test_directory_as_output_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["make-slide", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "directory" in err and "\n" not in err


def test_unknown_suffix_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    """``make-slide s3.png`` used to write an SVS into a file called .png."""
    import subprocess
    import sys

    out = tmp_path / "s3.png"
    done = subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", "make-slide", str(out), "--width", "600"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    err = done.stderr.strip()
    assert "\n" not in err and "s3.svs" in err and "s3.tiff" in err, err
    assert not out.exists()


@pytest.mark.parametrize(("name", "vendor"), [("a.TIFF", "generic-tiff"), ("b.SVS", "aperio")])
def test_suffix_decides_the_format_case_insensitively(
    tmp_path: Path, name: str, vendor: str
) -> None:
    out = tmp_path / name
    assert main(["make-slide", str(out), "--width", "700", "--height", "500"]) == 0
    with openslide.OpenSlide(out) as slide:
        assert slide.properties["openslide.vendor"] == vendor
