"""Fixtures: one real server per backend (SQLite always; PostgreSQL when reachable).

PostgreSQL runs are marked ``postgres``; if the server at 127.0.0.1:5432 does not
answer they are skipped with the reason in capital letters, so a CI log shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.harness import BACKENDS, Server, running_server, skip_unreachable
from tests.server.slide_fixture import make_slide

USERS = {
    "root": "superadmin",
    "admin": "admin",
    "alice": "user",
    "bob": "user",
    "carol": "user",
    "guest": "guest",
}


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    backend = request.param
    skip_unreachable(backend)
    tmp = tmp_path_factory.mktemp(f"server-{backend}")
    with running_server(backend, tmp, USERS) as srv:
        yield srv


@pytest.fixture(scope="session")
def slide_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slide(tmp_path_factory.mktemp("slides") / "test-slide.tiff", 1200, 900)


@pytest.fixture(scope="session")
def world(server: Server, slide_path: Path) -> dict[str, int]:
    """A project owned by alice (bob rw member, carol ro member) with an ontology and an image."""
    a = server.client("alice")
    onto = a.post("/api/ontology.json", {"name": f"onto-{server.backend}"}).json()["ontology"]["id"]
    t1 = a.post("/api/term.json", {"name": "tumor", "color": "#FF0000", "ontology": onto}).json()
    t2 = a.post("/api/term.json", {"name": "stroma", "color": "#00FF00", "ontology": onto}).json()
    project = a.post("/api/project.json", {"name": "world", "ontology": onto}).json()["project"][
        "id"
    ]
    bob, carol = server.users["bob"].id, server.users["carol"].id
    assert a.post(f"/api/project/{project}/user/{bob}.json").status_code == 200
    assert a.post(f"/api/project/{project}/user/{carol}.json", params={"access": "ro"}).ok
    guest = server.users["guest"].id
    assert a.post(f"/api/project/{project}/user/{guest}.json").ok
    storage, uploaded = a.upload_slide(slide_path, project, "slide.tiff")
    image = uploaded["imageInstances"][0]["id"]
    return {
        "project": project,
        "ontology": onto,
        "term1": t1["term"]["id"],
        "term2": t2["term"]["id"],
        "image": image,
        "storage": storage,
    }
