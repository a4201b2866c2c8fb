"""The SciTran answer schemas (``desktop_app.protocol.scitran.answers``) against the real
server: each answer the sync client parses, made by the route it calls, validates
through its schema and carries exactly the schema's keys (``Seen``, as for Cytomine)."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.protocol.scitran.answers import (
    NOTE_CREATED,
    NOTES_OF,
    NoteCreated,
    NoteJson,
)
from desktop_app.sync.transport.http import MalformedResponse, parse_as
from tests.server.harness import Server
from tests.server.test_cytomine_answers import Seen

#: Every container kind the note push posts to (``sync/push/notes.py``).
SEGMENTS = ("projects", "sessions", "acquisitions", "analyses", "collections")


def _containers(server: Server) -> dict[str, str]:
    a = server.client("alice")
    pid = a.post("/api/projects", {"label": "sc-answers"}).json()["_id"]
    sid = a.post("/api/sessions", {"project": pid}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid, "label": "scan"}).json()["_id"]
    parent = {"type": "acquisition", "id": acq}
    an = a.post("/api/analyses", {"parent": parent, "label": "seg"}).json()["_id"]
    col = a.post("/api/collections", {"label": "sc-answers"}).json()["_id"]
    return dict(zip(SEGMENTS, (pid, sid, acq, an, col), strict=True))


def test_every_note_answer_the_note_push_reads_has_the_schemas_keys(server: Server) -> None:
    a = server.client("alice")
    seen = Seen()
    objects: list[tuple[Any, Any, str]] = []
    for segment, cid in _containers(server).items():
        made = a.post(f"/api/{segment}/{cid}/notes", {"text": f"on {segment}"})
        assert made.status_code == 200, made.text
        objects.append((NoteCreated, made.json(), f"POST {segment} note"))
        nid = made.json()["_id"]
        one = a.get(f"/api/{segment}/{cid}/notes/{nid}")
        assert one.status_code == 200, one.text
        objects.append((NoteJson, one.json(), f"GET {segment} note"))
        detail = a.get(f"/api/{segment}/{cid}").json()
        notes = parse_as(NOTES_OF, detail, f"{segment} detail")["notes"]
        assert [n["text"] for n in notes] == [f"on {segment}"]
        assert notes[0]["user"] == server.users["alice"].username  # what _find_sent compares
        objects += [(NoteJson, n, f"{segment} detail note") for n in detail["notes"]]
    for schema, obj, where in objects:
        seen.check(schema, obj, where)
    assert seen.unknown == []
    assert seen.never_sent([NoteCreated, NoteJson]) == []


def test_a_renamed_or_mistyped_note_field_is_a_malformed_response_naming_it() -> None:
    with pytest.raises(MalformedResponse, match="note answer: _id: Field required"):
        parse_as(NOTE_CREATED, {"id": "12", "modified": 1}, "note answer")
    with pytest.raises(MalformedResponse, match="note answer: _id: String should match"):
        parse_as(NOTE_CREATED, {"_id": "5f0c-not-a-number"}, "note answer")
    with pytest.raises(MalformedResponse, match=r"notes\.0\.text: Field required"):
        parse_as(NOTES_OF, {"_id": "3", "notes": [{"_id": "4", "body": "hi"}]}, "detail")
    kept = parse_as(NOTES_OF, {"_id": "3", "label": "p"}, "detail")
    assert kept == {"_id": "3", "label": "p"}  # the container's other fields are kept
