"""SciTran's key header, list options and propagation (issue 18, SciTran part).

The ``scitran-user <key>`` scheme, anonymous answers (403, 400 for ``users/self``),
``stats``/``counts``/``join=projects``, ``info_exists``, propagation of ``public`` and
of group tag renames, and analyses addressed through their parent — each checked here
against the live server, beside scitran/core's own suite (test_scitran_core_suite.py).
"""

from __future__ import annotations

import requests

from tests.server.harness import Server


def _keyed(server: Server, who: str) -> tuple[requests.Session, str]:
    key = server.client(who).get("/api/users/self").json()["key"]
    s = requests.Session()
    s.headers["Authorization"] = f"scitran-user {key}"
    return s, key


def test_scitran_user_key_header(server: Server) -> None:
    s, key = _keyed(server, "alice")
    me = s.get(server.base + "/api/users/self")
    assert me.status_code == 200 and me.json()["_id"] == server.users["alice"].username
    assert key.startswith(f"{server.users['alice'].id}.")
    # a bearer key only on SciTran routes; Cytomine routes keep their HMAC signature
    assert s.get(server.base + "/api/user/current.json").status_code == 401
    forged = requests.get(
        server.base + "/api/users/self",
        headers={"Authorization": f"scitran-user {key[:-2]}xx"},
        timeout=10,
    )
    assert forged.status_code == 401 and key not in forged.text
    other = requests.get(
        server.base + "/api/users/self",
        headers={"Authorization": f"scitran-user {server.users['bob'].id}.{key.split('.')[1]}"},
        timeout=10,
    )
    assert other.status_code == 401
    # a new key retires the old one at once
    fresh = s.post(server.base + "/api/users/self/key").json()["key"]
    assert s.get(server.base + "/api/users/self").status_code == 401
    s.headers["Authorization"] = f"scitran-user {fresh}"
    assert s.get(server.base + "/api/users/self").status_code == 200


def test_anonymous_answers_as_scitran(server: Server) -> None:
    assert requests.get(server.base + "/api/users/self", timeout=10).status_code == 400
    assert requests.post(server.base + "/api/users/self/key", timeout=10).status_code == 400
    # the public reads public containers only (test_scitran_semantics.py)
    assert requests.get(server.base + "/api/groups", timeout=10).status_code == 403
    # Cytomine routes keep Cytomine's answer
    assert requests.get(server.base + "/api/project.json", timeout=10).status_code == 401


def test_stats_counts_and_join_projects(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    gid = f"stats-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).ok
    pid = a.post("/api/projects", {"group": gid, "label": "stats"}).json()["_id"]
    s1 = a.post("/api/sessions", {"project": pid, "subject": {"code": "s1"}}).json()["_id"]
    a.post("/api/sessions", {"project": pid, "subject": {"code": "s1"}})
    a.post("/api/acquisitions", {"session": s1, "label": "a"})
    assert a.post(f"/api/projects/{pid}/info", {"set": {"k": 1}}).ok

    plain = {p["_id"]: p for p in a.get("/api/projects").json()}
    assert "session_count" not in plain[pid] and plain[pid]["info_exists"] is True
    counted = {p["_id"]: p for p in a.get("/api/projects", params={"counts": "true"}).json()}
    assert counted[pid]["session_count"] == 2
    stats = {p["_id"]: p for p in a.get("/api/projects", params={"stats": "true"}).json()}
    assert stats[pid]["session_count"] == 2 and stats[pid]["subject_count"] == 1
    assert stats[pid]["attachment_count"] == 0
    sessions = a.get("/api/sessions", params={"counts": "1"}).json()
    assert {s["_id"]: s["acquisition_count"] for s in sessions}[s1] == 1

    groups = {g["_id"]: g for g in a.get("/api/groups", params={"join": "projects"}).json()}
    assert [p["_id"] for p in groups[gid]["projects"]] == [pid]
    assert set(groups[gid]["projects"][0]) <= {
        "_id",
        "label",
        "description",
        "group",
        "permissions",
    }
    assert "projects" not in {g["_id"]: g for g in a.get("/api/groups").json()}[gid]


def test_public_and_group_tags_propagate(server: Server) -> None:
    a = server.client("alice")
    gid = f"prop-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).ok
    pid = a.post("/api/projects", {"group": gid, "label": "p", "public": True}).json()["_id"]
    sid = a.post("/api/sessions", {"project": pid, "public": True}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid, "public": True}).json()["_id"]
    assert a.put(f"/api/projects/{pid}", {"public": False}).ok
    assert a.get(f"/api/sessions/{sid}").json()["public"] is False
    assert a.get(f"/api/acquisitions/{acq}").json()["public"] is False

    for path in (f"/api/groups/{gid}", f"/api/projects/{pid}", f"/api/acquisitions/{acq}"):
        assert a.post(f"{path}/tags", {"value": "old"}).ok
    assert a.put(f"/api/groups/{gid}/tags/old", {"value": "new"}).ok
    assert "new" in a.get(f"/api/projects/{pid}").json()["tags"]
    assert a.get(f"/api/acquisitions/{acq}").json()["tags"] == ["new"]
    assert a.delete(f"/api/groups/{gid}/tags/new").ok
    assert a.get(f"/api/acquisitions/{acq}").json()["tags"] == []


def test_analysis_through_its_parent(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    sid = a.post("/api/sessions", {"project": str(world["project"])}).json()["_id"]
    other = a.post("/api/sessions", {"project": str(world["project"])}).json()["_id"]
    aid = a.post(f"/api/sessions/{sid}/analyses", {"label": "an"}).json()["_id"]
    base = f"/api/sessions/{sid}/analyses/{aid}"
    assert a.get(base).json()["label"] == "an"
    assert a.get(f"/api/sessions/{other}/analyses/{aid}").status_code == 404
    nid = a.post(f"{base}/notes", {"text": "hi"}).json()["_id"]
    assert [n["text"] for n in a.get(f"/api/analyses/{aid}").json()["notes"]] == ["hi"]
    assert a.delete(f"{base}/notes/{nid}").ok
    assert server.client("carol").delete(base).status_code == 403  # ro member
    assert a.delete(base).ok
    assert a.get(f"/api/analyses/{aid}").status_code == 404


def test_file_info_read_and_file_fields(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    pid = str(world["project"])
    up = a.post(f"/api/projects/{pid}/files", files={"file": ("fi.txt", b"x")})
    assert up.ok, up.text
    assert a.post(f"/api/projects/{pid}/files/fi.txt/info", {"set": {"k": "v"}}).ok
    got = a.get(f"/api/projects/{pid}/files/fi.txt/info")
    assert got.status_code == 200 and got.json()["info"] == {"k": "v"}
    assert a.get(f"/api/projects/{pid}/files/nope.txt/info").status_code == 404
    listed = {p["_id"]: p for p in a.get("/api/projects").json()}[pid]["files"]
    entry = next(f for f in listed if f["name"] == "fi.txt")
    assert entry["info_exists"] is True and entry["info"] == {}
    assert a.put(f"/api/projects/{pid}/files/fi.txt", {"type": "text"}).ok
    for bad in ({"name": "x.txt"}, {"info": {}}, {"mimetype": "x"}, {}):
        assert a.put(f"/api/projects/{pid}/files/fi.txt", bad).status_code == 400, bad


def test_puts_say_what_they_ignored(server: Server, world: dict[str, int]) -> None:
    """Issue 11.13 on the SciTran and user PUTs: a field SciTran allows that our model
    does not keep is named in ``ignored``; a field SciTran's schema refuses is 400."""
    a = server.client("alice")
    sid = a.post("/api/sessions", {"project": str(world["project"])}).json()["_id"]
    r = a.put(f"/api/sessions/{sid}", {"label": "l", "operator": "Op"})
    assert r.status_code == 200 and r.json() == {"modified": 1}  # every field stored
    assert a.get(f"/api/sessions/{sid}").json()["operator"] == "Op"
    assert a.put(f"/api/sessions/{sid}", {"label": "m"}).json() == {"modified": 1}
    bad = a.put(f"/api/sessions/{sid}", {"label": "n", "colour": "red"})
    assert bad.status_code == 400 and "'colour' was unexpected" in bad.text
    assert a.get(f"/api/sessions/{sid}").json()["label"] == "m"  # nothing applied
    made = a.post("/api/projects", {"label": "x", "extra_param": 1})
    assert made.status_code == 400 and "extra_param" in made.text

    gid = f"ign-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).ok
    r = a.put(f"/api/groups/{gid}", {"label": "L", "_id": "renamed"})
    assert r.json() == {"modified": 1, "ignored": ["_id"]}
    assert a.put(f"/api/groups/{gid}", {"label": "L", "x": 1}).status_code == 400
    nid = a.post(f"/api/sessions/{sid}/notes", {"text": "t"}).json()["_id"]
    assert a.put(f"/api/sessions/{sid}/notes/{nid}", {"text": "u", "x": 1}).status_code == 400

    root, carol = server.client("root"), server.users["carol"]
    r = root.put(f"/api/users/{carol.username}", {"firstname": "Carol", "preferences": {}})
    assert r.status_code == 200 and r.json() == {"modified": 1, "ignored": ["preferences"]}
    assert root.put(f"/api/users/{carol.username}", {"shoe": 42}).status_code == 400
    assert root.put(f"/api/users/{carol.username}", {}).status_code == 400
    assert root.put("/api/users/nobody@nowhere", {"firstname": "N"}).status_code == 404
    bad_avatar = {"avatar": "http://example.org/a.jpg"}
    assert root.put(f"/api/users/{carol.username}", bad_avatar).status_code == 400
    by_bob = server.client("bob").put(f"/api/users/{carol.username}", {"firstname": "B"})
    assert by_bob.status_code == 403
    # the Cytomine user PUT reports an echoed field it does not store
    me = server.client("bob")
    bob = me.get("/api/user/current.json").json()
    r = me.put(f"/api/user/{bob['id']}.json", {"firstname": "Bob", "shoeSize": 42})
    assert r.status_code == 200 and r.json()["ignored"] == ["shoeSize"]
    assert "ignored: shoeSize" in r.json()["message"]


def test_scitran_user_delete_and_permission_move(server: Server, world: dict[str, int]) -> None:
    root, a = server.client("root"), server.client("alice")
    name = f"gone-{server.backend}@lab.org"
    uid = root.post("/api/users", {"_id": name, "firstname": "G", "lastname": "O"}).json()["_id"]
    assert server.client("alice").delete(f"/api/users/{uid}").status_code == 403
    assert root.delete(f"/api/users/{uid}").json() == {"deleted": 1}
    assert root.get(f"/api/users/{uid}").status_code == 404
    assert root.delete("/api/users/nobody@nowhere").status_code == 404

    pid = a.post("/api/projects", {"label": f"perm-move-{server.backend}"}).json()["_id"]
    bob, carol = server.users["bob"].username, server.users["carol"].username
    perms = f"/api/projects/{pid}/permissions"
    assert a.post(perms, {"_id": bob, "access": "ro"}).ok
    assert a.post(perms, {"_id": carol, "access": "rw"}).ok
    assert a.put(f"{perms}/{bob}", {"_id": carol}).status_code == 404  # carol holds one
    assert a.put(f"{perms}/{bob}", {"access": "rw", "x": 1}).status_code == 400
    assert a.delete(f"{perms}/{carol}").ok
    assert a.put(f"{perms}/{bob}", {"_id": "carol"}).json() == {"modified": 1}
    assert a.get(f"{perms}/{carol}").json()["access"] == "ro"
    assert a.get(f"{perms}/{bob}").status_code == 404


def test_project_template_compliance(server: Server) -> None:
    a = server.client("alice")
    gid = f"tpl-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).ok
    pid = a.post("/api/projects", {"group": gid, "label": "tpl"}).json()["_id"]
    sid = a.post("/api/sessions", {"project": pid, "subject": {"code": "ok-1"}}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid, "label": "T1 scan"}).json()["_id"]
    assert a.post(f"/api/acquisitions/{acq}/files", files={"file": ("x.csv", b"1")}).ok
    assert "project_has_template" not in a.get(f"/api/sessions/{sid}").json()
    template = {
        "session": {"subject": {"code": "^OK-"}},
        "acquisitions": [
            {"minimum": 1, "label": "t1", "files": [{"minimum": 1, "mimetype": "csv"}]}
        ],
    }
    assert server.client("bob").post(f"/api/projects/{pid}/template", template).status_code in (
        403,
        404,
    )
    assert a.post(f"/api/projects/{pid}/template", {"acquisitions": [{}]}).status_code == 400
    assert a.post(f"/api/projects/{pid}/template", {"session": {"label": "("}}).status_code == 400
    assert a.post(f"/api/projects/{pid}/template", template).json() == {"modified": 1}
    got = a.get(f"/api/sessions/{sid}").json()
    assert got["project_has_template"] is True and got["satisfies_template"] is True
    stats = {p["_id"]: p for p in a.get("/api/projects", params={"stats": "1"}).json()}
    assert stats[pid]["noncompliant_session_count"] == 0
    assert a.delete(f"/api/acquisitions/{acq}/files/x.csv").ok
    assert a.get(f"/api/sessions/{sid}").json()["satisfies_template"] is False
    stats = {p["_id"]: p for p in a.get("/api/projects", params={"stats": "1"}).json()}
    assert stats[pid]["noncompliant_session_count"] == 1
    assert a.delete(f"/api/projects/{pid}/template").json() == {"modified": 1}
    assert "satisfies_template" not in a.get(f"/api/sessions/{sid}").json()
