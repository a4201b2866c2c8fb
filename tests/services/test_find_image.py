"""An image number is the server id a team shares before it is the cache's own row id."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.services.workspace import Workspace
from tests.scene import INFO, Scene


def test_a_number_is_the_server_id_before_the_local_id(scene: Scene, tmp_path: Path) -> None:
    other_file = tmp_path / "other.svs"
    other_file.write_bytes(b"a second slide" * 100)
    ws = Workspace(scene.store)
    other = ws.register_slide(other_file, INFO, project_pk=scene.project_pk)
    # After a sync of several projects the numberings cross: the first row is the
    # server's image 2 and the second row the server's image 1.
    with sqlite3.connect(scene.path) as db:
        db.execute(
            "UPDATE image_instance SET server_id = ? WHERE pk = ?", (other.pk, scene.image_pk)
        )
        db.execute(
            "UPDATE image_instance SET server_id = ? WHERE pk = ?", (scene.image_pk, other.pk)
        )
    assert ws.find_image(str(scene.image_pk)) == other.pk
    assert ws.find_image(str(other.pk)) == scene.image_pk
