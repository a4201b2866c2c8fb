"""The SciTran answer schemas (``desktop_app.protocol.scitran.answers*``) against the
real server: each answer the sync client parses (the note push's, the hierarchy pull's),
made by the route it calls, validates through its schema and carries exactly the
schema's keys (``Seen``, as for Cytomine)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from desktop_app.protocol.scitran.answers import (
    NOTE_CREATED,
    NOTES_OF,
    NoteCreated,
    NoteJson,
)
from desktop_app.protocol.scitran.answers_containers import (
    DETAIL_SCHEMAS,
    DETAILS,
    GROUPS,
    LISTED_IDS,
    AnalysisRef,
    FileJson,
    FileOrigin,
    GroupJson,
    PermissionJson,
    SubjectJson,
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


def _tree(server: Server) -> dict[str, str]:
    """Every container kind with every optional part the pull reads: a group, a project
    template, a subject with names, a file, an analysis, a collection holding the
    acquisition, a note on each."""
    a = server.client("alice")
    gid = f"answers-{uuid.uuid4().hex[:8]}"
    assert a.post("/api/groups", {"_id": gid, "label": "Answers"}).ok
    pid = a.post("/api/projects", {"label": "sc-tree-answers", "group": gid}).json()["_id"]
    bob = server.users["bob"].username
    assert a.post(f"/api/projects/{pid}/permissions", {"_id": bob, "access": "rw"}).ok
    template = {"acquisitions": [{"minimum": 1}]}
    assert a.post(f"/api/projects/{pid}/template", template).ok
    subject = {"code": "S1", "firstname": "Jean", "lastname": "Dupont", "sex": "male", "age": 9}
    body = {"project": pid, "label": "visit", "subject": subject, "operator": "op"}
    sid = a.post("/api/sessions", body).json()["_id"]
    stamp = "2024-01-02T03:04:05Z"
    acq = a.post("/api/acquisitions", {"session": sid, "label": "scan", "timestamp": stamp})
    aid = acq.json()["_id"]
    r = a.post(f"/api/acquisitions/{aid}/files", files={"file": ("report.txt", b"hello")})
    assert r.status_code == 200, r.text
    parent = {"type": "acquisition", "id": aid}
    an = a.post("/api/analyses", {"parent": parent, "label": "seg", "version": "1"}).json()
    col = a.post("/api/collections", {"label": "teach"}).json()["_id"]
    nodes = {"operation": "add", "nodes": [{"level": "session", "_id": sid}]}
    assert a.put(f"/api/collections/{col}", {"contents": nodes}).ok
    made = dict(zip(SEGMENTS, (pid, sid, aid, an["_id"], col), strict=True))
    for segment, cid in made.items():
        assert a.post(f"/api/{segment}/{cid}/notes", {"text": "tree"}).ok
    return made


def test_every_detail_the_hierarchy_pull_reads_has_the_schemas_keys(server: Server) -> None:
    made = _tree(server)
    seen = Seen()
    for who in ("alice", "bob"):  # an admin of the project sees the names, bob does not
        c = server.client(who)
        for g in c.get("/api/groups").json():
            seen.check(GroupJson, g, f"{who}: group {g['_id']}")
        for segment, cid in made.items():
            if who == "bob" and segment == "collections":
                continue  # alice's collection
            ids = [i["_id"] for i in parse_as(LISTED_IDS, c.get(f"/api/{segment}").json(), "")]
            assert cid in ids, segment
            detail = c.get(f"/api/{segment}/{cid}").json()
            seen.check(DETAIL_SCHEMAS[segment], detail, f"{who}: {segment} {cid}")
            assert parse_as(DETAILS[segment], detail, segment) == detail
    assert seen.unknown == []
    schemas = [GroupJson, SubjectJson, FileJson, FileOrigin, AnalysisRef, PermissionJson]
    schemas += [NoteJson, *DETAIL_SCHEMAS.values()]
    assert seen.never_sent(schemas) == []


def test_a_renamed_detail_field_is_a_malformed_response_naming_it() -> None:
    with pytest.raises(MalformedResponse, match=r"GET /api/groups: 0\._id: Field required"):
        parse_as(GROUPS, [{"id": "lab"}], "GET /api/groups")
    with pytest.raises(MalformedResponse, match="sessions: project: Field required"):
        parse_as(DETAILS["sessions"], {"_id": "2", "projectId": "1"}, "sessions")
    with pytest.raises(MalformedResponse, match=r"parent\.id: String should match"):
        parse_as(DETAILS["analyses"], {"_id": "3", "parent": {"type": "session", "id": "x"}}, "")
    with pytest.raises(MalformedResponse, match=r"files\.0\.name: Field required"):
        parse_as(DETAILS["acquisitions"], {"_id": "4", "session": "2", "files": [{"_id": "5"}]}, "")
