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


def resolve_image(spec: str, settings: Settings) -> Path | int:
    """PATH_OR_IMAGE as a slide file path, or the pk of a cached image (uuid / id /
    server id) to open through :class:`~desktop_app.sync.slides.image_open.ImageOpener`."""
    path = Path(spec).expanduser()
    if path.exists():
        if path.is_dir() and not path.suffix:
            raise CliError(f"{spec} is a directory, not a slide")
        return path
    if settings.cache_path.exists():
        # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
        from desktop_app.services.workspace import Workspace

        store = open_store(settings)
        try:
            image_pk = Workspace(store).find_image(spec)
        finally:
            store.close()
        if image_pk is not None:
            return image_pk
    raise CliError(
        f"no such slide file or cached image: {spec} (`workstation images` lists the images)"
    )


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    target = resolve_image(args.image, settings)
    from desktop_app import app  # Qt is imported only when a window or image is needed

    if args.screenshot:
        return app.screenshot(settings, target, args.goto, args.size, args.screenshot)
    if isinstance(target, int):
        return app.run_gui(settings, image_pk=target, goto=args.goto)
    return app.run_gui(settings, slide_path=str(target), goto=args.goto)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "open",
        help="open a slide in the viewer, or write one view of it to a PNG",
        description="Open PATH_OR_IMAGE in the viewer. With --screenshot, render the view "
        "(once every visible tile is loaded at full resolution) to a PNG and exit.",
    )
    p.add_argument(
        "image",
        metavar="PATH_OR_IMAGE",
        help="a slide file, or an image of the cache by uuid, local id or server id "
        "(a server image without a local file streams from the server)",
    )
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
