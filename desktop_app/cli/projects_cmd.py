"""``workstation projects [--json]``: the projects of the local cache, offline.

``workstation projects set-downloadable PROJECT yes|no``: a project admin lets the
members download the slide files, or keeps them on the server (members then keep tiles
for offline work); it changes the server's ``areImagesDownloadable`` through the API, so
it needs the login and the network.  ``workstation projects set-blind PROJECT yes|no``
blinds the project's review the same way (the server's ``blindMode``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from
from desktop_app.config import Settings
from desktop_app.services.projects import ProjectCatalog


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "projects", help="list the projects in the local cache (counts, role, offline images)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.add_argument(
        "action",
        nargs="*",
        metavar="set-downloadable|set-blind PROJECT yes|no",
        help="project admins: allow downloading the project's slide files; blind its review",
    )
    parser.set_defaults(func=run)


def _me(settings: Settings) -> int | None:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.sync.transport.login_info import login_info

    info = login_info(settings.data_dir)
    return info.user_id if info else None


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.action:
        return _set_setting(args, settings)
    store = open_store(settings)
    try:
        rows = ProjectCatalog(store, settings.tiles_dir).projects(_me(settings))
    finally:
        store.close()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=2))
        return 0
    if not rows:
        print("no projects in the cache (try `workstation demo` or `workstation sync`)")
        return 0
    print(
        f"{'ID':>8}  {'IMAGES':>6}  {'ANN':>7}  {'REVIEWED':>9}  {'ROLE':>5}  {'OFFLINE':>7}  NAME"
    )
    for r in rows:
        sid = str(r.server_id) if r.server_id is not None else f"local:{r.pk}"
        print(
            f"{sid:>8}  {r.images:>6}  {r.annotations:>7}  {r.reviewed:>4}/{r.annotations:<4}  "
            f"{r.role or '-':>5}  {r.offline:>3}/{r.images:<3}  {r.name}"
        )
    return 0


#: ``projects ACTION PROJECT yes|no``: the project settings a project admin changes on
#: the server (the setter's name in ``sync.projects.admin``, what yes and no mean).
SETTINGS = {
    "set-downloadable": (
        "set_images_downloadable",
        "members may download the slide files",
        "the slide files stay on the server; members keep tiles for offline work "
        "(workstation checkout PROJECT --tiles-to MAG)",
    ),
    "set-blind": (
        "set_blind_mode",
        "blinded review: readers who are not project admins see only their own terms and decisions",
        "review is not blinded: every member sees every reader's terms and decisions",
    ),
}


def _set_setting(args: argparse.Namespace, settings: Settings) -> int:
    usage = "usage: workstation projects set-downloadable|set-blind PROJECT yes|no"
    if len(args.action) != 3 or args.action[0] not in SETTINGS:
        raise CliError(usage, 2)
    ref, answer = args.action[1], args.action[2].lower()
    if answer not in ("yes", "no"):
        raise CliError(f"{usage} (not {args.action[2]!r})", 2)
    setter, said_yes, said_no = SETTINGS[args.action[0]]
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.sync.projects import admin
    from desktop_app.sync.slides.offline import CheckoutError, ensure_project
    from desktop_app.sync.transport import credentials
    from desktop_app.sync.transport.http import CytomineClient, SyncHttpError

    try:
        creds = credentials.load(settings.data_dir)
    except credentials.CredentialError as exc:
        raise CliError(f"{exc} (the setting is the server's)", 2) from None
    store = open_store(settings)
    client = CytomineClient(creds.server_url, creds.public_key, creds.private_key)
    try:
        project_pk = ensure_project(store, client, ref)
        getattr(admin, setter)(store, client, project_pk, answer == "yes")
    except (CheckoutError, admin.AdminError) as exc:
        raise CliError(str(exc), 2) from None
    except SyncHttpError as exc:
        if exc.status == 403:
            raise CliError(f"only the project's admins may change this ({exc})") from None
        raise CliError(f"cannot change the project on the server: {exc}") from None
    finally:
        client.close()
        store.close()
    print(f"project {ref}: {said_yes if answer == 'yes' else said_no}")
    return 0
