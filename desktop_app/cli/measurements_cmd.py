"""``workstation measurements IMAGE OUT.tsv|OUT.csv [--project]``: the measurement table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from
from desktop_app.cli.geojson_cmd import IMAGE_HELP, resolve_image
from desktop_app.services.measurements import measurement_table, project_images


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "measurements",
        help="write one row per annotation (QuPath's measurement columns) as TSV or CSV",
    )
    cmd.add_argument("image", metavar="IMAGE", help=IMAGE_HELP)
    cmd.add_argument("out", metavar="OUT", type=Path, help="OUT.tsv or OUT.csv")
    cmd.add_argument(
        "--project", action="store_true", help="every image of IMAGE's project, one table"
    )
    cmd.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() not in (".tsv", ".csv", ".txt"):
        raise CliError(f"{out}: give a .tsv or .csv file name")
    store = open_store(settings_from(args))
    try:
        image_pk = resolve_image(store, args.image)
        images = project_images(store, image_pk) if args.project else [image_pk]
        table = measurement_table(store, images)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    try:
        table.write(out)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc}") from exc
    print(f"wrote {len(table.rows)} annotations from {len(images)} image(s) to {out}")
    return 0
