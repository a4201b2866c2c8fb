"""The persisted density grid stays exact through edits, undo/redo, deletes and bulk
imports; the annotation list loads nothing while hidden and pages on demand."""

from __future__ import annotations

import numpy as np
import shapely
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop_app.services.overview import density_grid
from desktop_app.store.annotations import DENSITY_CELL, bulk_create, density_cells
from desktop_app.ui.panels.annotation_list import PAGE
from tests.ui.annotations.conftest import World, wait_idle

_RECOUNT = text(
    """
    SELECT CAST(min_x / :cell AS INTEGER), CAST(min_y / :cell AS INTEGER), count(*)
    FROM annotation WHERE image_pk = :image_pk AND local_deleted = 0
    GROUP BY 1, 2 ORDER BY 1, 2
    """
)


def persisted(world: World) -> dict[tuple[int, int], int]:
    with world.store.read() as s:
        cells = density_cells(s, world.image_pk)
    assert cells is not None
    return {(int(x), int(y)): int(n) for x, y, n in cells}


def recounted(world: World) -> dict[tuple[int, int], int]:
    """The O(N) truth the persisted grid must equal."""
    with world.store.read() as s:
        rows = s.execute(_RECOUNT, {"cell": float(DENSITY_CELL), "image_pk": world.image_pk})
        return {(int(x), int(y)): int(n) for x, y, n in rows}


def test_grid_follows_edits_undo_redo_and_deletes(world: World) -> None:
    service = world.service
    a = service.create(shapely.box(10, 10, 50, 50))
    b = service.create(shapely.box(300, 10, 340, 50))
    assert persisted(world) == {(0, 0): 1, (2, 0): 1} == recounted(world)
    service.move([a], 1000, 500)  # to another cell
    assert persisted(world) == {(7, 3): 1, (2, 0): 1} == recounted(world)
    service.delete([b])  # a tombstone (server not told yet) is not counted
    assert persisted(world) == {(7, 3): 1} == recounted(world)
    assert service.undo()  # the delete
    assert persisted(world) == {(7, 3): 1, (2, 0): 1}
    assert service.undo()  # the move
    assert persisted(world) == {(0, 0): 1, (2, 0): 1} == recounted(world)
    assert service.redo()
    assert persisted(world) == {(7, 3): 1, (2, 0): 1} == recounted(world)
    with world.store.unit_of_work(undoable=False) as uow:  # server acked a delete: purged
        s = uow.session
        s.execute(text("DELETE FROM annotation_term WHERE annotation_pk = :pk"), {"pk": a})
        s.execute(text("DELETE FROM annotation WHERE pk = :pk"), {"pk": a})
    assert persisted(world) == {(2, 0): 1} == recounted(world)
    grid = density_grid(world.store, world.image_pk)
    assert grid.total == 1 and grid.count_in((256, 0, 400, 100)) == 1


def test_grid_follows_bulk_import(world: World) -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 3900, (3000, 2))
    geoms = shapely.box(xy[:, 0], xy[:, 1], xy[:, 0] + 20, xy[:, 1] + 20)
    world.service.create(shapely.box(5, 5, 9, 9))
    with world.store.unit_of_work(
        label="Import", user_pk=world.user_pk, scope=world.service.history.scope
    ) as uow:
        bulk_create(
            uow,
            project_pk=world.service.project_pk,
            image_pk=world.image_pk,
            user_pk=world.user_pk,
            geometries=geoms,
            chunk=1000,
        )
    grid = persisted(world)
    assert grid == recounted(world) and sum(grid.values()) == 3001
    with world.store.read() as s:  # the trigger is back for the next single edit
        assert (
            s.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'annotation_density_insert'")
            ).scalar()
            == 1
        )
    world.service.create(shapely.box(5, 5, 9, 9))
    assert persisted(world)[(0, 0)] == recounted(world)[(0, 0)]
    assert world.service.undo() and world.service.undo()
    assert persisted(world) == recounted(world)
    assert sum(persisted(world).values()) == 3000


def test_list_is_lazy_and_pages_on_demand(qtbot: QtBot, world: World) -> None:
    wb, panel = world.wb, world.wb.list_panel
    n = PAGE * 2 + 37
    xy = np.random.default_rng(1).uniform(0, 3900, (n, 2))
    geoms = shapely.box(xy[:, 0], xy[:, 1], xy[:, 0] + 20, xy[:, 1] + 20)
    with world.store.unit_of_work(label="Import", user_pk=world.user_pk) as uow:
        bulk_create(
            uow,
            project_pk=world.service.project_pk,
            image_pk=world.image_pk,
            user_pk=world.user_pk,
            geometries=geoms,
        )
    panel.hide()  # a hidden list reads nothing
    calls: list[tuple[int, int]] = []
    original = world.service.rows_page
    world.service.rows_page = lambda after=0, limit=None: (  # type: ignore[method-assign]
        calls.append((after, limit)) or original(after, limit)
    )
    wb.session.notify_external_change("Import")
    wait_idle(qtbot, wb)
    assert calls == [] and panel.model.rowCount() == 0
    panel.show()  # shown: one page, more on demand
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE)
    wait_idle(qtbot, wb)
    assert calls == [(0, PAGE + 1)] and panel.model.canFetchMore()
    panel.model.fetchMore()
    assert not panel.model.canFetchMore()  # one request at a time
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 * PAGE)
    panel.model.fetchMore()
    qtbot.waitUntil(lambda: panel.model.rowCount() == n)
    wait_idle(qtbot, wb)
    assert not panel.model.canFetchMore() and panel.proxy.rowCount() == n
    pks = [panel.model.pk(i) for i in range(n)]
    assert pks == sorted(pks) and len(set(pks)) == n
    # an edit re-reads as many rows as were loaded, not just the first page
    world.service.delete([pks[0]])
    qtbot.waitUntil(lambda: panel.model.rowCount() == n - 1 and pks[0] not in panel.model.row_of)
    # a selection made in the viewer shows in the list when the row is loaded
    wb.selection.set([pks[-1]])
    rows = panel.table.selectionModel().selectedRows()
    assert [panel.proxy.data(r, PK_ROLE) for r in rows] == [pks[-1]]


PK_ROLE = 256 + 1


def test_display_rules_are_vectorised_but_unchanged() -> None:
    """``visible``/``colors`` (numpy over the term links) agree with the per-row rules."""
    import random

    from desktop_app.ui.annotations.layer_data import NO_TERM_COLOR, Display, LayerData

    rnd = random.Random(0)
    n = 500
    pks = np.arange(10, 10 + n)
    terms = {}
    for pk in pks.tolist():
        if k := rnd.choice([0, 0, 1, 2, 3]):
            terms[pk] = rnd.sample([1, 2, 3, 4, 5], k)
    data = LayerData(
        rect=(0, 0, 1, 1),
        pks=pks,
        geoms=np.empty(n, dtype=object),
        bounds=np.zeros((n, 4)),
        kinds=np.array(["user"] * n, dtype=object),
        user_pks=np.zeros(n, dtype=np.int64),
        terms=terms,
        tree=shapely.STRtree([]),
        row_of={p: i for i, p in enumerate(pks.tolist())},
        changes=0,
    )
    displays = [
        Display(colors={1: "a", 2: "b", 3: "c"}, term_order=(3, 1)),
        Display(
            colors={1: "a", 2: "b", 4: "d"},
            term_order=(2, 4, 1),
            hidden_terms=frozenset({2, 5}),
            show_unlabelled=False,
        ),
        Display(hidden_terms=frozenset({1, 2, 3, 4, 5})),
    ]
    for display in displays:
        rank = {t: i for i, t in enumerate(display.term_order)}
        for i, pk in enumerate(pks.tolist()):
            ts = [t for t in terms.get(pk, ()) if t not in display.hidden_terms]
            best = min(ts, key=lambda t: rank.get(t, len(rank))) if ts else None
            color = display.colors.get(best, NO_TERM_COLOR) if ts else NO_TERM_COLOR
            shown = bool(ts) if pk in terms else display.show_unlabelled
            assert data.colors(display)[i] == color
            assert data.visible(display)[i] == shown
