"""#10.3: an image pulled from the server opens (streamed), and offline says what does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tests.e2e.conftest import Ws
from tests.server.harness import Server
from tests.server.slide_fixture import make_slide
from tests.sync.proxy import FaultProxy


def _project_with_images(server: Server, slides: list[Path], name: str, members: list[str]) -> Any:
    """alice's project with the uploaded ``slides``, shared with ``members`` (over the API)."""
    a = server.client("alice")
    project = a.post("/api/project.json", {"name": name}).json()["project"]["id"]
    for who in members:
        assert a.post(f"/api/project/{project}/user/{server.users[who].id}.json").ok
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    images = []
    for i, slide in enumerate(slides):
        with open(slide, "rb") as f:
            r = a.post(
                "/upload",
                params={"storage": storage, "projects": project},
                files={"files[]": (f"{name}-{i}.svs", f)},
            )
        assert r.status_code == 200, r.text
        images.append(r.json()[0]["images"][0]["imageInstances"][0]["id"])
    return project, images


def _pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


def test_pulled_image_opens_streamed_and_offline_lists_what_does(
    sqlite_server: Server, slide_file: Path, workstations: Any, tmp_path: Path
) -> None:
    server = sqlite_server
    other = make_slide(tmp_path / "other.svs", 900, 700, seed=9)
    project, (first, second) = _project_with_images(server, [slide_file, other], "pulled", ["bob"])
    proxy = FaultProxy("127.0.0.1", int(server.base.rsplit(":", 1)[1]))
    proxy.start()
    try:
        bob: Ws = workstations("bob")
        bob.run(
            "login",
            "--server",
            proxy.base,
            "--public-key",
            server.users["bob"].publicKey,
            "--private-key",
            server.users["bob"].privateKey,
        )
        assert bob.sync("--project", str(project))["exit"] == 0
        listed = {i["server_id"]: i for i in bob.json("images")}
        assert {first, second} <= set(listed) and listed[first]["path"] is None

        shot = tmp_path / "streamed.png"
        out = bob.run("open", str(first), "--screenshot", str(shot), "--size", "400x300")
        assert out.returncode == 0 and shot.is_file()
        ref = tmp_path / "file.png"
        bob.run("open", str(slide_file), "--screenshot", str(ref), "--size", "400x300")
        diff = np.abs(_pixels(shot) - _pixels(ref)).mean()
        assert diff < 6, diff  # the same view, only re-encoded tiles apart
        assert (bob.data / "tiles").is_dir()  # streamed into the disk tile cache

        by_uuid = bob.run(
            "open", listed[second]["uid"], "--screenshot", str(tmp_path / "u.png"),
            "--size", "400x300", check=False,
        )  # fmt: skip
        assert by_uuid.returncode == 0, by_uuid.stderr

        proxy.stop()  # the network goes away
        again = bob.run(
            "open", str(first), "--screenshot", str(tmp_path / "again.png"), "--size", "400x300"
        )
        assert again.returncode == 0  # the tiles seen stay usable offline
        for tile_dir in (bob.data / "tiles").iterdir():  # the second image was never viewed
            if tile_dir.name.endswith(f"-a{_abstract(server, second)}"):
                shutil.rmtree(tile_dir)
        off = bob.run("open", str(second), "--screenshot", str(tmp_path / "off.png"), check=False)
        assert off.returncode == 1
        message = off.stderr.strip()
        assert len(message.splitlines()) == 1, message
        assert "not available offline" in message and "server cannot be reached" in message
        assert f"server id {first}" in message and "workstation download" in message
        assert f"server id {second}" not in message
    finally:
        proxy.stop()


def _abstract(server: Server, image_id: int) -> int:
    body = server.client("alice").get(f"/api/imageinstance/{image_id}.json").json()
    return int(body["baseImage"])
