"""SciTran answers through the fault proxy, against the real server.  The note push
(``sync/push/notes.py``): a create answer missing its ``_id`` is a malformed answer
naming it, and a create whose answer was lost (or refused) is found on the container by
its author and text at the next sync, never sent twice.  The hierarchy pull: a detail
field renamed on the wire is a malformed answer naming it."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from desktop_app.model.project import Project
from desktop_app.model.scitran import Note
from desktop_app.model.sync import OpState
from desktop_app.services.scitran_notes import NoteService
from tests.sync.helpers import outbox


def _note_on_project(dev: Any, p: int, text: str) -> str:
    with dev.store.read() as s:
        uid = s.scalar(select(Project.uid).where(Project.server_id == p))
    return NoteService(dev.store, dev.me()).add("project", uid, text)


def _server_notes(server: Any, p: int, text: str) -> list[dict[str, Any]]:
    notes = server.client("alice").get(f"/api/projects/{p}").json()["notes"]
    return [n for n in notes if n["text"] == text]


def _settled(dev: Any, uid: str) -> int | None:
    with dev.store.read() as s:
        return s.scalar(select(Note.server_id).where(Note.uid == uid))


def _dev_with_note(devices: Any, proxy: Any, p: int, text: str) -> tuple[Any, str]:
    """A device through the proxy that has synced project ``p`` and holds one unsent
    note on it (the note's uid)."""
    dev = devices["new"]("dev", "alice", proxy.base)
    assert dev.sync([p]).ok
    return dev, _note_on_project(dev, p, text)


def _sent_once(server: Any, proxy: Any, dev: Any, p: int, uid: str, text: str) -> Any:
    """Heal the proxy and sync: the note is on the server exactly once, settled on the
    device with that id, and the outbox is empty; returns the server's note."""
    proxy.heal()
    rep = dev.sync([p])
    assert rep.ok, rep.reason()
    (sent,) = _server_notes(server, p, text)
    assert _settled(dev, uid) == int(sent["_id"]) and outbox(dev.store) == []
    return sent


def test_a_note_answer_without_its_id_is_malformed_and_not_doubled(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any
) -> None:
    p = world["project"]
    dev, uid = _dev_with_note(devices, proxy, p, "renamed id")
    proxy.rename = (b'"modified":1,"_id"', b'"modified":1,"_ix"')
    rep = dev.sync([p])
    assert not rep.ok and rep.error_kind == "malformed", rep.reason()
    assert "note answer: _id: Field required" in (rep.error or ""), rep.error
    _sent_once(server, proxy, dev, p, uid, "renamed id")


def test_a_lost_note_answer_is_not_doubled(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any
) -> None:
    p = world["project"]
    dev, uid = _dev_with_note(devices, proxy, p, "answer lost")
    proxy.cut_on = b"/notes HTTP"
    rep = dev.sync([p])
    assert rep.error_kind == "offline", rep
    assert OpState.NEEDS_RECONCILE in {op.state for op in outbox(dev.store)}
    sent = _sent_once(server, proxy, dev, p, uid, "answer lost")
    assert sent["user"] == server.users["alice"].username


def test_a_renamed_field_of_a_container_detail_is_a_malformed_pull(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any
) -> None:
    """The hierarchy pull parses each detail before applying any: a permission's
    ``access`` renamed on the wire names it, and the next sync applies the tree (a full
    sync: the tree is pulled with those only)."""
    p = world["project"]
    dev = devices["new"]("dev", "alice", proxy.base)
    proxy.rename = (b'"access":"', b'"accesz":"')
    rep = dev.sync()
    assert not rep.ok and rep.error_kind == "malformed", rep.reason()
    wrong = r"GET /api/projects/\d+: permissions\.0\.access: Field required"
    assert re.search(wrong, rep.error or ""), rep.error
    proxy.heal()
    rep = dev.sync()
    assert rep.ok, rep.reason()
    with dev.store.read() as s:
        assert s.scalar(select(Project.server_id).where(Project.server_id == p)) == p
