"""``workstation make-slide``: write a synthetic pyramidal slide (SVS or generic TIFF).

Exists so developers, the demo and the benchmarks can produce realistic slide files of
any size on demand instead of downloading multi-gigabyte public samples.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from desktop_app.cli.common import CliError
from desktop_app.slide.synth import FORMATS, make_slide

#: What each accepted suffix holds: the suffix decides the format unless --format says.
SUFFIX_FORMATS = {".svs": "svs", ".tif": "tiff", ".tiff": "tiff"}
DEFAULT_WIDTH = 20000
DEFAULT_HEIGHT = 16000


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be positive: {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text}")
    return value


def register(subparsers: Any) -> None:
    """Add the ``make-slide`` subcommand."""
    parser = subparsers.add_parser(
        "make-slide",
        help="write a synthetic whole-slide image (SVS or pyramidal TIFF)",
        description="Write a synthetic, pyramidal, JPEG-tiled slide that OpenSlide opens.",
    )
    parser.add_argument("out", metavar="OUT", help="output file (.svs or .tif/.tiff)")
    parser.add_argument("--width", type=_positive_int, default=DEFAULT_WIDTH)
    parser.add_argument("--height", type=_positive_int, default=DEFAULT_HEIGHT)
    parser.add_argument(
        "--mpp", type=_positive_float, default=0.25, help="microns per pixel (default 0.25)"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        help="svs (Aperio-style) or tiff (generic); default from OUT's suffix",
    )
    parser.add_argument("--seed", type=int, default=0, help="content seed (default 0)")
    parser.set_defaults(func=run_make_slide)

    def one_line_error(message: str) -> NoReturn:
        # argparse would print the whole usage block; a bad value deserves one line.
        print(f"workstation make-slide: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = one_line_error


def run_make_slide(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise CliError(f"{out} is a directory; give a file name such as {out / 'slide.svs'}")
    suffix_format = SUFFIX_FORMATS.get(out.suffix.lower())
    if suffix_format is None:
        # A slide is a TIFF file whatever it is called; naming it .png (or nothing)
        # would only make every viewer and the OS misread it.
        raise CliError(
            f"{out.name}: a slide is written as SVS or TIFF; name it "
            f"{out.with_suffix('.svs').name} (Aperio SVS) or {out.with_suffix('.tiff').name}",
            2,
        )
    started = time.perf_counter()
    try:
        written = make_slide(
            out,
            args.width,
            args.height,
            mpp=args.mpp,
            fmt=args.fmt or suffix_format,
            seed=args.seed,
        )
    except (ValueError, OverflowError) as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    levels = " ".join(f"{w}x{h}" for w, h in written.level_dimensions)
    print(
        f"{written.path}  {written.width}x{written.height}  levels: {levels}  "
        f"{written.file_size / 1e6:.1f} MB  ({time.perf_counter() - started:.1f} s)"
    )
    return 0
