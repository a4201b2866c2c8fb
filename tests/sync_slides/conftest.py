"""Fixtures for slides offline: a real server process, an uploaded slide, local caches.

One ``workstation server`` (SQLite) per session, started as tests/server/harness.py
does; each test gets its own cache, tile folder and a fresh checkout of the project.
A FaultProxy in front of the server stands in for "the network": stopping it makes
the server unreachable without changing the base URL (and so the tile-cache folder).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.model.image import ImageInstance
from desktop_app.slide.synth import write_slide
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store
from desktop_app.sync.pull import checkout
from desktop_app.sync.transport.http import CytomineClient
from tests.server.harness import Server, running_server
from tests.sync.proxy import FaultProxy

WIDTH, HEIGHT = 1200, 900


@dataclass
class World:
    server: Server
    slide: Path
    sha256: str
    project: int
    storage: int
    image: int  # server ImageInstance id


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("slides-server")
    slide = write_slide(tmp_path_factory.mktemp("src") / "tissue.svs", WIDTH, HEIGHT, seed=3)
    with running_server("sqlite", tmp, {"alice": "user"}) as srv:
        a = srv.client("alice")
        project = a.post("/api/project.json", {"name": "offline"}).json()["project"]["id"]
        storage, uploaded = a.upload_slide(slide, project, "tissue.svs")
        image = uploaded["imageInstances"][0]["id"]
        yield World(srv, slide, sha256_of(slide), project, storage, image)


def make_client(world: World, base: str | None = None) -> CytomineClient:
    keys = world.server.users["alice"]
    return CytomineClient(base or world.server.base, keys.publicKey, keys.privateKey, timeout=10)


@pytest.fixture
def proxy(world: World) -> Iterator[FaultProxy]:
    port = int(world.server.base.rsplit(":", 1)[1])
    p = FaultProxy("127.0.0.1", port)
    p.start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(open_cache(tmp_path / "cache.sqlite"))
    try:
        yield s
    finally:
        s.close()


def checkout_image(store: Store, client: CytomineClient, world: World) -> int:
    """Check the project out into ``store`` (rows only, no pixels); the local image pk."""
    checkout.apply_project(store, checkout.fetch_project(client, world.project))
    with store.read() as s:
        pk = s.scalar(select(ImageInstance.pk).where(ImageInstance.server_id == world.image))
    assert pk is not None
    return int(pk)
