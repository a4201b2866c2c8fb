"""``workstation checkout PROJECT [--images all|ID,...] [--files | --tiles-to MAG]``.

Makes a project's images available offline from the command line: the whole slide
files (default) or their tiles down to a magnification, with a progress bar on stderr.
Interrupted runs resume; a run over images already available offline is quick.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from desktop_app.cli.common import CliError, open_store, settings_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "checkout", help="make a project's images available offline (files or tiles)"
    )
    parser.add_argument("project", metavar="PROJECT", help="server id, local:<id> or name")
    parser.add_argument(
        "--images", default="all", metavar="all|ID,...", help="image ids (server or local)"
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--files", action="store_true", help="download the slide files (default)")
    how.add_argument(
        "--tiles-to", type=float, metavar="MAG", help="download tiles down to MAG (e.g. 10)"
    )
    parser.set_defaults(func=run)


class ProgressBar:
    """``name [#####.....] 45% 12.0/26.7 MB`` redrawn in place on a terminal."""

    def __init__(self, label: str, unit: str, out: TextIO = sys.stderr) -> None:
        self.label, self.unit, self.out = label, unit, out
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        frac = done / total if total else 0.0
        bar = "#" * int(frac * 30)
        amount = (
            f"{done / 1e6:.1f}/{total / 1e6:.1f} MB"
            if self.unit == "bytes"
            else f"{done}/{total} tiles"
        )
        self.out.write(f"\r{self.label[:30]:<30} [{bar:<30}] {frac:4.0%} {amount}")
        self.out.flush()

    def finish(self, message: str) -> None:
        self.out.write(f"\r{self.label[:30]:<30} {message:<60}\n")
        self.out.flush()


def _size_line(items: list[Any]) -> str:
    """The download's size as the user reads it, saying when it is an estimate."""
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.services.attachments import human_size

    refused = sum(1 for i in items if i.refused)
    unknown = sum(1 for i in items if i.mode == "file" and not i.exact and not i.refused)
    total = sum(i.bytes_estimate for i in items)
    approx = "" if all(i.exact or i.refused for i in items) else "about "
    line = f"{approx}{human_size(total)}"
    if unknown:
        line += f" (size unknown for {unknown}: the server did not say)"
    if refused:
        line += f"; the server refuses the files of {refused}"
    return line


def run(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.slide.disk_cache import DiskTileCache
    from desktop_app.slide.source import SlideError
    from desktop_app.sync.slides.offline import (
        CheckoutError,
        ensure_project,
        make_offline,
        plan,
        select_images,
    )
    from desktop_app.sync.transport import credentials
    from desktop_app.sync.transport.http import CytomineClient, SyncHttpError

    if args.tiles_to is not None and args.tiles_to <= 0:
        raise CliError("--tiles-to takes a magnification above 0, e.g. 10", 2)
    settings = settings_from(args)
    try:
        creds = credentials.load(settings.data_dir)
    except credentials.CredentialError as exc:
        raise CliError(f"{exc} (checkout downloads from the server)", 2) from None
    store = open_store(settings)
    client = CytomineClient(creds.server_url, creds.public_key, creds.private_key)
    mode = "tiles" if args.tiles_to is not None else "file"
    failures = refused = 0
    try:
        try:
            project_pk = ensure_project(store, client, args.project)
            image_pks = select_images(store, project_pk, args.images)
            items = plan(store, client, image_pks, mode=mode, magnification=args.tiles_to)
        except CheckoutError as exc:
            raise CliError(str(exc), 2) from None
        except SyncHttpError as exc:
            raise CliError(f"cannot reach the project on the server: {exc}") from None
        if not items:
            print("no server images to make available offline in this project")
            return 0
        if all(i.refused for i in items):
            # Nothing would download: say why and what works instead, not "about 0 B".
            raise CliError(
                f"the server keeps this project's slide files to itself (its images are "
                f"not downloadable), so nothing would download; keep the tiles instead "
                f"with --tiles-to MAG (e.g. `workstation checkout {args.project} "
                f"--tiles-to 10`), or ask a project admin to allow downloads "
                f"(`workstation projects set-downloadable {args.project} yes`)",
                1,
            )
        what = "files" if mode == "file" else f"tiles down to {args.tiles_to:g}x"
        print(f"{len(items)} image(s), {what}: {_size_line(items)}", file=sys.stderr)
        tiles = DiskTileCache(settings.tiles_dir)  # one budget for every image's tiles
        for item in items:
            bar = ProgressBar(item.name, "bytes" if mode == "file" else "tiles")
            try:
                result = make_offline(
                    store,
                    client,
                    item,
                    slides_dir=settings.slides_dir,
                    tiles=tiles,
                    progress=bar,
                )
            except (SyncHttpError, SlideError) as exc:
                bar.finish(f"failed: {exc}")
                failures += 1
                refused += isinstance(exc, SyncHttpError) and exc.status == 403
                continue
            if result.mode == "file":
                bar.finish(f"file: {result.path}")
            else:
                bar.finish(f"{result.fetched} tiles fetched, {result.skipped} already here")
    finally:
        client.close()
        store.close()
    if failures:
        # A refusal (403: the project keeps its files on the server) does not go away on
        # a retry; the tiles are the way to work offline then.
        hint = (
            "the server refuses the files: keep the tiles instead with --tiles-to MAG"
            if refused == failures
            else "run again to resume"
        )
        print(f"workstation: {failures} image(s) not available offline ({hint})", file=sys.stderr)
        return 1
    return 0
