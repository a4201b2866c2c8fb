"""``workstation download IMAGE``: keep a server image on this machine for offline work."""

from __future__ import annotations

import argparse
import sys

from desktop_app.cli.common import CliError, open_store, settings_from


def run(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.services.workspace import Workspace
    from desktop_app.slide.disk_cache import DiskTileCache
    from desktop_app.slide.source import SlideError
    from desktop_app.sync.slides.sources import DownloadCancelled, download_for_offline
    from desktop_app.sync.transport import credentials
    from desktop_app.sync.transport.http import CytomineClient, SyncHttpError

    settings = settings_from(args)
    if not settings.cache_path.exists():
        raise CliError("the cache is empty: run `workstation sync` first")
    try:
        creds = credentials.load(settings.data_dir)
    except credentials.CredentialError as exc:
        raise CliError(str(exc), 2) from None
    store = open_store(settings)
    client = CytomineClient(creds.server_url, creds.public_key, creds.private_key)
    try:
        image_pk = Workspace(store).find_image(args.image)
        if image_pk is None:
            raise CliError(f"no cached image {args.image} (`workstation images` lists the images)")
        mode = "tiles" if args.tiles is not None else "file"
        result = download_for_offline(
            client,
            store,
            image_pk,
            mode=mode,
            slides_dir=settings.slides_dir,
            tiles=DiskTileCache(settings.tiles_dir),
            magnification=args.tiles or None,
        )
    except SyncHttpError as exc:
        if exc.status == 403 and args.tiles is None:
            raise CliError(
                f"the server refuses the file of image {args.image}: {exc}. "
                f"Keep its tiles instead: workstation download {args.image} --tiles"
            ) from None
        raise CliError(
            f"download of {args.image} stopped: {exc} (run it again to resume)"
        ) from None
    except (SlideError, DownloadCancelled) as exc:
        raise CliError(
            f"download of {args.image} stopped: {exc} (run it again to resume)"
        ) from None
    finally:
        client.close()
        store.close()
    if result.mode == "file":
        print(f"image {args.image} is available offline: {result.path}")
    else:
        print(
            f"image {args.image} is available offline as tiles: "
            f"{result.fetched} fetched, {result.skipped} already here, {result.total} in all"
        )
    if not result.complete:
        print("workstation: some tiles are missing: run it again", file=sys.stderr)
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "download",
        help="keep a server image for offline work (its file, or its tiles)",
        description="Download a cached server image (uuid, local id or server id) so it "
        "opens offline: the original slide file by default, or with --tiles the "
        "server's tiles down to a magnification. Resumes where an interrupted run stopped.",
    )
    p.add_argument("image", metavar="IMAGE", help="image uuid, local id or server id")
    p.add_argument(
        "--tiles",
        nargs="?",
        type=float,
        const=0.0,
        default=None,
        metavar="MAG",
        help="keep tiles instead of the file, down to magnification MAG (default: full)",
    )
    p.set_defaults(func=run)
