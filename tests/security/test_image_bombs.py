"""Issue 11 finding 3: a small TIFF declaring 20000 x 20000 pixels in one level.

Upload refuses it with the reason; a slide that got in anyway (an older server) cannot
make a thumbnail, window or tile decode more than the pixel budget; the desktop viewer
refuses to open it with the same reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop_app.server.slides import SlideCache
from desktop_app.slide.openslide_source import OpenSlideSource
from desktop_app.slide.pixel_budget import TooManyPixels
from desktop_app.slide.source import SlideError
from tests.security.bombs import single_level_bomb
from tests.security.conftest import upload
from tests.server.harness import Server


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = single_level_bomb(tmp_path_factory.mktemp("bombs") / "bomb.tiff")
    assert path.stat().st_size < 2_000_000
    return path


def test_3_upload_refuses_a_pyramidless_giant(
    sec_server: Server, sec_world: dict[str, int], bomb: Path
) -> None:
    alice = sec_server.client("alice")
    storage = alice.get("/api/storage.json").json()["collection"][0]["id"]
    before = alice.get("/api/uploadedfile.json").json()["size"]
    with open(bomb, "rb") as f:
        r = alice.post(
            "/upload",
            params={"storage": storage, "projects": sec_world["project"]},
            files={"files[]": ("bomb.tiff", f)},
        )
    assert r.status_code == 400, r.text
    assert "pyramid" in r.json()["errors"] and "20000x20000" in r.json()["errors"]
    assert alice.get("/api/uploadedfile.json").json()["size"] == before


def test_3_reads_of_an_accepted_bomb_keep_to_the_budget(
    sec_server: Server, sec_slide: Path, bomb: Path
) -> None:
    """A bomb stored before the upload check: its file and size are put in place by
    hand, and every pixel route answers 400 instead of decoding 400 Mpx."""
    alice = sec_server.client("alice")
    pid = alice.post("/api/project.json", {"name": "bombed"}).json()["project"]["id"]
    ids = upload(sec_server, "alice", sec_slide, pid)
    engine = create_engine(sec_server.database_url)
    try:
        with engine.begin() as conn:
            path = conn.execute(
                text("SELECT path FROM abstract_image WHERE pk = :pk"), {"pk": ids["abstract"]}
            ).scalar_one()
            conn.execute(
                text("UPDATE abstract_image SET width = 20000, height = 20000 WHERE pk = :pk"),
                {"pk": ids["abstract"]},
            )
    finally:
        engine.dispose()
    stored = sec_server.data_dir / "storage" / "uploads" / path
    stored.write_bytes(bomb.read_bytes())
    image = ids["image"]
    for route in (
        f"/api/imageinstance/{image}/thumb.jpg",
        f"/api/imageinstance/{image}/window-0-0-20000-20000.jpg",
        f"/api/imageinstance/{image}/normalized-tile/zoom/0/tx/0/ty/0.jpg",
        f"/api/imageinstance/{image}/normalized-tile/zoom/2/tx/1/ty/1.png",
    ):
        r = alice.get(route)
        assert r.status_code == 400, (route, r.status_code)
        assert "pixels" in r.json()["errors"]
    # a level-0 tile is cheap and still served
    assert alice.get(f"/api/imageinstance/{image}/normalized-tile/zoom/7/tx/0/ty/0.jpg").ok


def test_3_slide_cache_budget(bomb: Path) -> None:
    cache = SlideCache()
    try:
        with pytest.raises(TooManyPixels):
            cache.region(str(bomb), 0, 0, 20000, 20000, 512, 512)
        with pytest.raises(TooManyPixels):
            cache.tile(str(bomb), 20000, 20000, 0, 0, 0, "jpg")
        assert cache.region(str(bomb), 0, 0, 512, 512, 256, 256).size == (256, 256)
    finally:
        cache.close()


def test_3_desktop_viewer_refuses_to_open_a_bomb(bomb: Path) -> None:
    with pytest.raises(SlideError) as err:
        OpenSlideSource(bomb)
    message = str(err.value)
    assert "bomb.tiff" in message and "pyramid" in message and "vips" in message
