"""What a project admin does on the server from the home: members, projects, images.

Membership is the server's to decide, so member changes go straight to the API
(``POST|DELETE /api/project/{id}/user/{user}.json``, ``?access=ro|rw|admin``) and the
project's records are then re-read into the cache; they need the network.  A new
project is created offline first (a local project, see ``services.workspace``) and
published here when the server can be reached, else by the next sync
(``--push-local``).  A local slide added to a project is uploaded with progress and
Cancel; offline it waits in the project and the next sync uploads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.model.project import Project
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.answers_project import USERS
from desktop_app.store.uow import Store
from desktop_app.sync.pull import checkout
from desktop_app.sync.push.publish import publish_project
from desktop_app.sync.slides.download import download_file
from desktop_app.sync.slides.upload import UploadResult, default_storage, upload_local_slide
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import CytomineClient

Progress = Callable[[int, int], None]


class AdminError(ValueError):
    """A refused admin action; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class ServerUser:
    id: int
    username: str
    name: str


def server_users(client: CytomineClient) -> list[ServerUser]:
    """Every user of the server, to pick a new member from."""
    out = []
    for u in client.collection_as(USERS, "/api/user.json", "users"):
        full = " ".join((u.get("firstname") or "", u.get("lastname") or "")).strip()
        out.append(ServerUser(u["id"], u["username"], full))
    return sorted(out, key=lambda u: u.username.lower())


def _project_sid(store: Store, project_pk: int) -> int:
    with store.read() as s:
        sid = s.scalar(select(Project.server_id).where(Project.pk == project_pk))
    if sid is None:
        raise AdminError("this project is not on the server yet: sync it first")
    return int(sid)


def refresh_project(store: Store, client: CytomineClient, project_pk: int) -> int:
    """Re-read the project's records (members, images, ontology) into the cache."""
    return checkout.apply_project(
        store, checkout.fetch_project(client, _project_sid(store, project_pk))
    )


def set_member(
    store: Store, client: CytomineClient, project_pk: int, user_id: int, access: Access
) -> None:
    """Add ``user_id`` to the project, or change their role, then refresh the cache."""
    sid = _project_sid(store, project_pk)
    client.post(f"/api/project/{sid}/user/{int(user_id)}.json", access=access.value)
    refresh_project(store, client, project_pk)


def remove_member(store: Store, client: CytomineClient, project_pk: int, user_id: int) -> None:
    sid = _project_sid(store, project_pk)
    client.delete(f"/api/project/{sid}/user/{int(user_id)}.json")
    refresh_project(store, client, project_pk)


def set_images_downloadable(
    store: Store, client: CytomineClient, project_pk: int, allowed: bool
) -> None:
    """Let the project's members download the slide files, or keep the files on the
    server (members then work offline from tiles); the server's ``areImagesDownloadable``,
    changed with the project's own PUT (Cytomine replaces every field: the body is the
    project as read, with the one field changed), then the cache refreshed."""
    sid = _project_sid(store, project_pk)
    project = client.get(f"/api/project/{sid}.json")
    client.put(f"/api/project/{sid}.json", {**project, "areImagesDownloadable": bool(allowed)})
    refresh_project(store, client, project_pk)


def set_blind_mode(store: Store, client: CytomineClient, project_pk: int, blind: bool) -> None:
    """Blind the project's review, or lift it: the server's ``blindMode`` (readers who are
    not project admins then see only their own terms and decisions), changed like
    ``areImagesDownloadable`` with the project's own PUT, which the server allows project
    admins only; then the cache refreshed, so this workstation reviews accordingly at once."""
    sid = _project_sid(store, project_pk)
    project = client.get(f"/api/project/{sid}.json")
    client.put(f"/api/project/{sid}.json", {**project, "blindMode": bool(blind)})
    refresh_project(store, client, project_pk)


def publish(store: Store, client: CytomineClient, project_pk: int) -> int:
    """A local project (and its ontology) created on the server now; its server id."""
    sid = publish_project(store, client, project_pk)
    refresh_project(store, client, project_pk)
    return sid


def upload_image(
    store: Store,
    client: CytomineClient,
    image_pk: int,
    project_pk: int,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> UploadResult:
    """Upload a slide registered in a server project (resumable, see slide_upload)."""
    return upload_local_slide(
        client,
        store,
        image_pk,
        storage_id=default_storage(client),
        project_server_id=_project_sid(store, project_pk),
        progress=progress,
        cancel=cancel,
    )


_SEGMENTS = {
    "project": "projects",
    "session": "sessions",
    "acquisition": "acquisitions",
    "analysis": "analyses",
    "collection": "collections",
}


def download_container_file(
    client: CytomineClient,
    container: dict[str, Any],
    name: str,
    dest_dir: Path,
    *,
    slide: bool,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """A SciTran container's file into ``dest_dir/<file uid>/<name>`` (kept: opening it
    again needs no network).  ``slide`` checks that it opens as a slide."""
    segment = _SEGMENTS.get(str(container.get("type")))
    if segment is None or container.get("id") is None:
        raise AdminError("this container is not on the server")
    files = [f for f in container.get("files") or [] if f.get("name") == name]
    if not files:
        raise AdminError(f"no file {name!r} on this container")
    dest = Path(dest_dir) / str(files[0].get("uid")) / Path(name).name
    if dest.is_file():
        return dest
    url = f"/api/{segment}/{container['id']}/files/{name}"
    if slide:
        return download_file(client, url, dest, progress, cancel)

    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    resp = send(client, "GET", url, stream=True)
    with resp, open(part, "wb") as out:
        for chunk in resp.iter_content(1 << 20):
            if cancel is not None and cancel.is_set():
                raise AdminError("download cancelled")
            out.write(chunk)
    part.replace(dest)
    return dest
