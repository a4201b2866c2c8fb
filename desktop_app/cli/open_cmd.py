"""``workstation open``: open a slide in the viewer, or render one view of it to a PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import CliError, open_store, settings_from
from desktop_app.config import Settings

DEFAULT_SIZE = (1600, 1000)


def parse_goto(text: str) -> tuple[float, float, float]:
    """``X,Y,DOWNSAMPLE``: level-0 centre and level-0 pixels per screen pixel."""
    try:
        x, y, ds = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected X,Y,DOWNSAMPLE, got {text!r}") from None
    if ds <= 0:
        raise argparse.ArgumentTypeError("DOWNSAMPLE must be > 0")
    return (x, y, ds)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH, got {text!r}") from None
    if not (16 <= w <= 16384 and 16 <= h <= 16384):
        raise argparse.ArgumentTypeError("width and height must be 16..16384")
    return (w, h)


def resolve_image(spec: str, settings: Settings) -> Path:
    """Turn PATH_OR_IMAGE into a slide file: a path, or a cached image's uuid / id / server id."""
    path = Path(spec).expanduser()
    if path.exists():
        if path.is_dir() and not path.suffix:
            raise CliError(f"{spec} is a directory, not a slide")
        return path
    if settings.cache_path.exists():
        from desktop_app.services.workspace import Workspace

        store = open_store(settings)
        try:
            workspace = Workspace(store)
            image_pk = workspace.find_image(spec)
            found = workspace.image_path(image_pk) if image_pk is not None else None
        finally:
            store.close()
        if found is not None:
            if not found.exists():
                raise CliError(f"image {spec} is in the cache but its file {found} is missing")
            return found
    raise CliError(f"no such slide file or cached image: {spec}")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    path = resolve_image(args.image, settings)
    from desktop_app import app  # Qt is imported only when a window or image is needed

    if args.screenshot:
        return app.screenshot(settings, path, args.goto, args.size, args.screenshot)
    return app.run_gui(settings, slide_path=str(path), goto=args.goto)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "open",
        help="open a slide in the viewer, or write one view of it to a PNG",
        description="Open PATH_OR_IMAGE in the viewer. With --screenshot, render the view "
        "(once every visible tile is loaded at full resolution) to a PNG and exit.",
    )
    p.add_argument("image", metavar="PATH_OR_IMAGE", help="slide file")
    p.add_argument(
        "--goto",
        type=parse_goto,
        metavar="X,Y,DOWNSAMPLE",
        help="centre on level-0 pixel X,Y at DOWNSAMPLE level-0 px per screen px (default: fit)",
    )
    p.add_argument(
        "--size",
        type=parse_size,
        default=DEFAULT_SIZE,
        metavar="WxH",
        help="view size for --screenshot (default 1600x1000)",
    )
    p.add_argument("--screenshot", metavar="OUT.png", help="write the view to OUT.png and exit")
    p.set_defaults(func=run)
