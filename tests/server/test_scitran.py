"""SciTran container API against the live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from typing import Any

from tests.server.harness import Server

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


def _project(server: Server, name: str) -> str:
    a = server.client("alice")
    pid = a.post("/api/projects", {"label": name, "description": "d", "tags": ["t1"]}).json()
    bob, carol = server.users["bob"].username, server.users["carol"].username
    assert a.post(f"/api/projects/{pid['_id']}/permissions", {"_id": bob, "access": "rw"}).ok
    r = a.post(f"/api/projects/{pid['_id']}/permissions", {"_id": carol, "access": "ro"})
    assert r.status_code == 200, r.text
    return str(pid["_id"])


def test_project_is_the_cytomine_project(server: Server) -> None:
    a = server.client("alice")
    pid = _project(server, "sc-proj")
    cy = a.get(f"/api/project/{pid}.json").json()
    assert cy["name"] == "sc-proj"
    detail = a.get(f"/api/projects/{pid}").json()
    assert detail["_id"] == pid and detail["label"] == "sc-proj"
    assert ISO.match(detail["created"]) and ISO.match(detail["modified"])
    assert {"notes", "files", "permissions", "analyses", "info", "public", "archived"} <= set(
        detail
    )
    assert len(detail["permissions"]) == 3  # alice is admin: sees everyone
    lst = [p for p in a.get("/api/projects").json() if p["_id"] == pid][0]
    assert "analyses" not in lst and lst["info"] == {}  # reserved keys only (none here)
    assert lst["permissions"] == [
        {
            "_id": server.users["alice"].username,
            "uid": server.users["alice"].username,
            "access": "admin",
        }
    ]
    carol = server.client("carol").get(f"/api/projects/{pid}").json()
    assert [p["access"] for p in carol["permissions"]] == ["ro"]
    assert a.put(f"/api/projects/{pid}", {"label": "renamed", "archived": True}).json() == {
        "modified": 1
    }
    assert a.get(f"/api/project/{pid}.json").json()["name"] == "renamed"
    # non-members: 403, absent from lists
    r = server.client("guest").get(f"/api/projects/{pid}")
    assert r.status_code == 403 and r.json()["success"] is False
    assert pid not in [p["_id"] for p in server.client("guest").get("/api/projects").json()]


def test_sessions_subjects_and_hashes(server: Server) -> None:
    a, bob = server.client("alice"), server.client("bob")
    pid = _project(server, "sc-subj")
    subject = {"code": "S1", "firstname": "Jean", "lastname": "Dupont", "sex": "male", "age": 9}
    sid = a.post(
        "/api/sessions", {"project": pid, "label": "case", "uid": "LIS-1", "subject": subject}
    ).json()["_id"]
    mine = a.get(f"/api/sessions/{sid}").json()
    assert mine["subject"]["firstname"] == "Jean" and mine["uid"] == "LIS-1"
    assert mine["project"] == pid and len(mine["subject"]["lastname_hash"]) == 64
    theirs = bob.get(f"/api/sessions/{sid}").json()
    # neither names nor their (keyed) hashes to those who may not see names
    assert "firstname" not in theirs["subject"] and "firstname_hash" not in theirs["subject"]
    listed = [s for s in a.get("/api/sessions", params={"project": pid}).json()][0]
    assert "firstname_hash" not in listed["subject"] and listed["info"] == {}
    # an rw member writing names leaves hashes only
    sid2 = bob.post(
        "/api/sessions",
        {"project": pid, "subject": {"code": "S2", "firstname": "Ann", "lastname": "Lee"}},
    ).json()["_id"]
    s2 = a.get(f"/api/sessions/{sid2}").json()["subject"]
    assert s2["firstname"] is None and s2["firstname_hash"]
    for bad in ({"sex": "robot"}, {"race": "Martian"}, {"ethnicity": "x"}):
        r = a.post("/api/sessions", {"project": pid, "subject": bad})
        assert r.status_code == 400 and r.json()["success"] is False, r.text
    assert server.client("carol").post("/api/sessions", {"project": pid}).status_code == 403
    r = a.post(f"/api/projects/{pid}/permissions", {"_id": "1", "access": "boss"})
    assert r.status_code == 400


def test_acquisitions_analyses_collections_notes_tags_files(server: Server) -> None:
    a, bob = server.client("alice"), server.client("bob")
    pid = _project(server, "sc-tree")
    sid = a.post("/api/sessions", {"project": pid}).json()["_id"]
    acq = bob.post(
        "/api/acquisitions", {"session": sid, "label": "scan", "timestamp": "2024-01-02T03:04:05Z"}
    ).json()["_id"]
    got = a.get(f"/api/acquisitions/{acq}").json()
    assert got["session"] == sid and got["timestamp"].startswith("2024-01-02T03:04:05")
    an = bob.post(
        "/api/analyses",
        {"parent": {"type": "acquisition", "id": acq}, "label": "seg", "version": "1"},
    ).json()["_id"]
    assert a.get(f"/api/analyses/{an}").json()["user"] == server.users["bob"].username
    assert [x["_id"] for x in a.get(f"/api/acquisitions/{acq}").json()["analyses"]] == [an]
    col = a.post("/api/collections", {"label": "teach"}).json()["_id"]
    r = a.put(
        f"/api/collections/{col}",
        {"contents": {"operation": "add", "nodes": [{"level": "session", "_id": sid}]}},
    )
    assert r.status_code == 200, r.text
    assert a.get(f"/api/acquisitions/{acq}").json()["collections"] == [col]
    assert server.client("bob").get(f"/api/collections/{col}").status_code == 403
    # notes, tags
    n = bob.post(f"/api/sessions/{sid}/notes", {"text": "looks odd"}).json()["_id"]
    assert [x["text"] for x in a.get(f"/api/sessions/{sid}").json()["notes"]] == ["looks odd"]
    assert bob.post(f"/api/sessions/{sid}/tags", {"value": "urgent"}).ok
    assert a.get(f"/api/sessions/{sid}").json()["tags"] == ["urgent"]
    assert bob.delete(f"/api/sessions/{sid}/tags/urgent").ok
    assert bob.delete(f"/api/sessions/{sid}/notes/{n}").ok
    # files: upload, list with origin, download, refused names
    r = bob.post(f"/api/acquisitions/{acq}/files", files={"file": ("report.txt", b"hello")})
    assert r.status_code == 200, r.text
    files = a.get(f"/api/acquisitions/{acq}/files").json()
    assert files[0]["origin"] == {
        "type": "user",
        "id": server.users["bob"].username,
        "name": "bob",
        "method": "upload",
    }
    assert files[0]["size"] == 5
    assert a.get(f"/api/acquisitions/{acq}/files/report.txt").content == b"hello"
    r = bob.post(f"/api/acquisitions/{acq}/files", files={"file": ("../x.txt", b"x")})
    assert r.status_code == 400
    # the change feed saw the containers
    feed = a.get(f"/api/project/{pid}/changes.json", params={"since": 0}).json()["changes"]
    kinds = {(c["entity"], c["action"]) for c in feed}
    assert {
        ("session", "created"),
        ("acquisition", "created"),
        ("analysis", "created"),
        ("session", "updated"),
    } <= kinds
    assert a.delete(f"/api/sessions/{sid}").json() == {"deleted": 1}
    assert a.get(f"/api/acquisitions/{acq}").status_code == 404


def test_groups_and_users_self(server: Server) -> None:
    a = server.client("alice")
    gid = a.post("/api/groups", {"_id": f"lab-{server.backend}", "label": "Lab"}).json()["_id"]
    assert gid == f"lab-{server.backend}"
    pid = a.post("/api/projects", {"label": "in-group", "group": gid}).json()["_id"]
    assert a.get(f"/api/projects/{pid}").json()["group"] == gid
    assert pid in a.get(f"/api/groups/{gid}").json()["projects"]
    assert server.client("bob").get(f"/api/groups/{gid}").status_code == 403
    assert gid not in [g["_id"] for g in server.client("bob").get("/api/groups").json()]
    me: dict[str, Any] = a.get("/api/users/self").json()
    assert me["_id"] == server.users["alice"].username and me["key"]
    others = a.get("/api/users").json()
    assert all("key" not in u for u in others)
    assert "key" not in a.get(f"/api/users/{me['_id']}").json()


def test_idempotent_container_create(server: Server) -> None:
    a = server.client("alice")
    pid = _project(server, "sc-idem")
    h = {"X-Client-Uid": f"sess-{server.backend}-1"}
    one = a.post("/api/sessions", {"project": pid}, headers=h).json()["_id"]
    two = a.post("/api/sessions", {"project": pid}, headers=h).json()["_id"]
    assert one == two
    assert len(a.get("/api/sessions", params={"project": pid}).json()) == 1
