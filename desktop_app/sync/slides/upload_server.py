"""What a slide upload asks the server: the storage to upload into, an earlier upload
of the very same file (so a retried upload never sends the slide twice), and the
project's instance of the uploaded image; each answer parsed through its
``desktop_app.protocol.cytomine`` schema."""

from __future__ import annotations

from desktop_app.protocol.cytomine.answers_command import COMMANDS
from desktop_app.protocol.cytomine.answers_image import (
    ABSTRACT_IMAGE,
    IMAGE_INSTANCES,
    STORAGES,
    UPLOADED_FILES,
    AbstractImageJson,
    ImageInstanceJson,
)
from desktop_app.sync.transport.http import ClientError, CytomineClient, parse_as

#: ``UploadedFile.status`` once the file is deployed (Cytomine's code).
DEPLOYED = 100


class UploadError(Exception):
    """The server refused the slide; the message is meant for the user."""


def default_storage(client: CytomineClient) -> int:
    """The user's own first storage (where Cytomine's web UI uploads too)."""
    rows = client.collection_as(STORAGES, "/api/storage.json", "storages")
    mine = [s for s in rows if s.get("user") == client.user_id]
    if not (mine or rows):
        raise UploadError("the server has no storage for this user to upload into")
    return (mine or rows)[0]["id"]


def find_existing(
    client: CytomineClient, storage_id: int, name: str, size: int, sha: str, dims: tuple[int, int]
) -> AbstractImageJson | None:
    """The AbstractImage of an earlier upload of this very file, if the server has one."""
    for uf in client.collection_as(UPLOADED_FILES, "/api/uploadedfile.json", "uploaded files"):
        if (
            uf.get("storage") != storage_id
            or uf.get("originalFilename") != name
            or uf.get("size") != size
            or uf.get("status") not in (DEPLOYED, None)
        ):
            continue
        try:
            raw = client.get(f"/api/uploadedfile/{uf['id']}/abstractimage.json")
        except ClientError:
            continue
        a = parse_as(ABSTRACT_IMAGE, raw, "abstract image")
        if (a["width"], a["height"]) != dims:
            continue
        if raw.get("sha256") and raw["sha256"] != sha:  # a server that says: must match
            continue
        return a
    return None


def instance_in_project(
    client: CytomineClient, abstract_id: int, project_id: int, uid: str
) -> ImageInstanceJson:
    """The project's instance of the abstract image, created (idempotently) if absent."""
    path = f"/api/project/{project_id}/imageinstance.json"
    found = [
        i
        for i in client.collection_as(IMAGE_INSTANCES, path, "images")
        if i["baseImage"] == abstract_id
    ]
    if found:
        return next((i for i in found if i.get("uid") == uid), found[0])
    body = {"baseImage": abstract_id, "project": project_id, "uid": uid}
    envelope = parse_as(
        COMMANDS["imageinstance"], client.post("/api/imageinstance.json", body), "image instance"
    )
    made: ImageInstanceJson = envelope["imageinstance"]
    return made
