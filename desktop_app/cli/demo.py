"""``workstation demo``: create the demo project once, then open the app on it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="open the app on a generated demo slide and project (no server needed)"
    )
    parser.add_argument(
        "--no-gui", action="store_true", help="only create the demo data, do not open the app"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.services.demo import ensure_demo, load_demo_settings
    from desktop_app.slide.openslide_source import open_slide
    from desktop_app.slide.source import SlideError
    from desktop_app.slide.synth import write_slide
    from desktop_app.ui.environment import NO_DISPLAY_MESSAGE, display_available

    if not args.no_gui and not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)  # before minutes of demo generation
        return 2
    settings = settings_from(args)
    try:
        d = load_demo_settings()
    except (ValueError, OSError) as exc:  # a broken installation, not a user error
        raise CliError(str(exc)) from exc
    store = open_store(settings)

    def write(path: Path) -> object:
        print(f"generating the demo slide {path.name} ({d.width}x{d.height})…")
        return write_slide(path, d.width, d.height, mpp=d.mpp, fmt=d.fmt, seed=d.seed)

    def read_info(path: Path) -> Any:
        slide = open_slide(path)
        try:
            return slide.info
        finally:
            slide.close()

    try:
        demo = ensure_demo(store, settings.slides_dir / d.slide_file, write, read_info, d)
    except SlideError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    print(f"demo image {demo.image_pk}: {demo.slide_path}")
    if args.no_gui:
        return 0
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.app import run_gui

    return run_gui(settings, slide_path=str(demo.slide_path))
