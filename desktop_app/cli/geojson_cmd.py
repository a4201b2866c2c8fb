"""``workstation import IMAGE FILE`` and ``workstation export IMAGE FILE`` (QuPath GeoJSON)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from
from desktop_app.core.geojson import GeoJSONError
from desktop_app.services.geojson_file import ExportPathError, write_feature_collection
from desktop_app.services.geojson_io import export_features, import_features, load_geojson
from desktop_app.services.workspace import LOCAL_PROJECT, Workspace
from desktop_app.store.uow import Store

IMAGE_HELP = "slide path, local image UUID or id, or server id"


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser("import", help="import QuPath GeoJSON annotations onto an image")
    imp.add_argument("image", metavar="IMAGE", help=IMAGE_HELP)
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CLASS=TERM",
        help="map a QuPath class onto an existing term (repeatable)",
    )
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid features and report the others",
    )
    imp.set_defaults(func=run_import)
    exp = subparsers.add_parser("export", help="export an image's annotations as QuPath GeoJSON")
    exp.add_argument("image", metavar="IMAGE", help=IMAGE_HELP)
    exp.add_argument("file", metavar="FILE", type=Path)
    exp.set_defaults(func=run_export)


def resolve_image(store: Store, ref: str) -> int:
    """An image of the cache; a slide path not yet in it is registered in the local project."""
    workspace = Workspace(store)
    pk = workspace.find_image(ref)
    if pk is not None:
        return pk
    path = Path(ref).expanduser()
    if not path.is_file():
        raise CliError(f"no image {ref!r} in the cache and no such slide file")
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.slide.openslide_source import open_slide
    from desktop_app.slide.source import SlideError

    try:
        slide = open_slide(path)
    except SlideError as exc:
        raise CliError(str(exc)) from exc
    try:
        project = workspace.local_project(LOCAL_PROJECT)
        return workspace.register_slide(path, slide.info, project_pk=project.pk).pk
    finally:
        slide.close()


def run_import(args: argparse.Namespace) -> int:
    mapping = {}
    for item in args.map:
        name, sep, term = item.partition("=")
        if not sep or not name or not term:
            raise CliError(f"--map expects CLASS=TERM, got {item!r}")
        mapping[name] = term
    store = open_store(settings_from(args))
    try:
        image_pk = resolve_image(store, args.image)
        started = time.perf_counter()
        data = load_geojson(args.file)
        user = Workspace(store).local_user()
        report = import_features(
            store, image_pk, data, user_pk=user.pk, term_map=mapping, skip_invalid=args.skip_invalid
        )
    except GeoJSONError as exc:
        hint = (
            " Nothing was imported: fix the file, or use --skip-invalid to import the "
            "valid features and list the others."
            if exc.errors
            else ""
        )
        raise CliError(f"{exc}{hint}") from exc
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    took = time.perf_counter() - started
    print(
        f"imported {report.imported} annotation{'' if report.imported == 1 else 's'} "
        f"onto image {image_pk} in {took:.1f} s"
        + (f"; new terms: {', '.join(report.created_terms)}" if report.created_terms else "")
        + (f"; repaired {report.repaired} self-crossing polygons" if report.repaired else "")
        + (
            f"; clipped {report.clipped} to the image's edges (they were partly outside it)"
            if report.clipped
            else ""
        )
    )
    for err in report.skipped:
        print(f"skipped {err}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    store = open_store(settings_from(args))
    try:
        image_pk = resolve_image(store, args.image)
        collection = export_features(store, image_pk)
    finally:
        store.close()
    try:
        count = write_feature_collection(args.file, collection)
    except ExportPathError as exc:
        raise CliError(str(exc)) from None
    print(f"exported {count} annotations to {args.file}")
    return 0
