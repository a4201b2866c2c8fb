"""Review mode reads the next annotations' tiles before the reviewer steps on."""

from __future__ import annotations

import shapely
from pytestqt.qtbot import QtBot

from desktop_app.slide.review_tiles import frame_bounds, view_tiles
from desktop_app.ui.review import install_review_mode
from desktop_app.ui.review.prefetch import NextTiles
from tests.ui.annotations.conftest import World, wait_idle
from tests.ui.review.test_review_mode import idle


def test_next_annotations_are_ready_before_the_reviewer(qtbot: QtBot, world: World) -> None:
    w, service = world, world.service
    boxes = [
        (300, 300, 350, 340),
        (2600, 350, 2660, 400),
        (450, 2400, 500, 2450),
        (3500, 2600, 3550, 2650),
        (2000, 1500, 2040, 1545),
    ]  # fmt: skip  (4000 x 3000)
    pks = [service.create(shapely.box(*b)) for b in boxes]
    w.wb.session.notify_external_change("test data")
    wait_idle(qtbot, w.wb)
    mode = install_review_mode(w.window, w.wb, store=w.store, user_pk=w.user_pk)
    mode.toggle_action.trigger()
    idle(qtbot, mode)
    assert mode.current == pks[0] and mode.upcoming() == pks[1:4]
    assert mode.next_tiles.wait_idle(30)
    source = w.view.source()
    assert source is not None
    vw, vh = w.view.width(), w.view.height()
    cache = w.view.tile_cache
    for b in boxes[1:4]:  # the next three, at the magnification review will show them
        keys = view_tiles(source.info, source.slide_id, frame_bounds(b, vw, vh), vw, vh,
                          speculative=False)  # fmt: skip
        assert keys and all(cache.contains(k) for k in keys)
    wanted = set()
    for b in boxes[1:4]:
        view = frame_bounds(b, vw, vh)
        wanted |= set(view_tiles(source.info, source.slide_id, view, vw, vh, speculative=False))
    assert set(mode.next_tiles.requested) == wanted  # three ahead, no more
    mode.next()  # the view lands on tiles already decoded: complete at once
    qtbot.waitUntil(lambda: abs(w.view.current_view()[0] - 2630) < 2, timeout=5_000)
    assert w.view.is_fully_loaded()
    assert mode.upcoming() == [pks[2], pks[3], pks[4], pks[0]][:3]
    mode.close()


def test_a_prefetched_tile_evicted_before_it_is_drawn_is_read_again(
    qtbot: QtBot, world: World
) -> None:
    """The view skips tiles already cached; one evicted between that request and the
    paint (the cache is shared with the read-ahead) is asked for again once the view
    settles, instead of leaving that part of the view coarse until the next move."""
    w = world
    view, source = w.view, w.view.source()
    assert source is not None
    target = frame_bounds((3000, 2200, 3100, 2300), view.width(), view.height())
    keys = view_tiles(source.info, source.slide_id, target, view.width(), view.height(),
                      speculative=False)  # fmt: skip
    loader = NextTiles(view)
    loader.request([(3000, 2200, 3100, 2300)])  # what review mode does a step ahead
    assert loader.wait_idle(30) and all(view.tile_cache.contains(k) for k in keys)
    view.goto(*target)  # every visible tile is cached: the view requests none of them
    view.tile_cache.discard(keys[0])  # ... and one is evicted before it is drawn
    assert not view.is_fully_loaded()
    qtbot.waitUntil(view.is_fully_loaded, timeout=5_000)
    loader.close()
