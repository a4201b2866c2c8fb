"""SciTran user ids are logins, and a grant may name a login that has no account yet.

Every user id a SciTran answer carries (permissions, notes' ``user``, an analysis'
``user``, a collection's ``curator``, a file's ``origin.id``) is the account's login,
and ``/api/users/{_id}`` takes the login, not the account's number.  A grant to a login
of no account is kept pending: listed as SciTran lists it, worth nothing until
``server add-user`` creates that login, which then holds it.
"""

from __future__ import annotations

from tests.server.harness import Server


def test_every_user_id_is_the_login(server: Server) -> None:
    a, bob = server.client("alice"), server.client("bob")
    pid = a.post("/api/projects", {"label": f"logins-{server.backend}"}).json()["_id"]
    assert a.post(f"/api/projects/{pid}/permissions", {"_id": "bob", "access": "rw"}).ok
    sid = bob.post("/api/sessions", {"project": pid, "label": "s"}).json()["_id"]
    bob.post(f"/api/sessions/{sid}/notes", {"text": "n"})
    assert bob.post(f"/api/sessions/{sid}/files", files={"file": ("f.txt", b"x")}).ok
    an = bob.post("/api/analyses", {"parent": {"type": "session", "id": sid}}).json()["_id"]
    col = bob.post("/api/collections", {"label": "c"}).json()["_id"]
    session = a.get(f"/api/sessions/{sid}").json()
    assert {p["_id"] for p in session["permissions"]} == {"alice", "bob"}
    assert session["notes"][0]["user"] == "bob"
    assert session["files"][0]["origin"]["id"] == "bob"
    assert a.get(f"/api/analyses/{an}").json()["user"] == "bob"
    assert bob.get(f"/api/collections/{col}").json()["curator"] == "bob"
    # the account's number names no user: only logins do, as in SciTran
    assert bob.get("/api/users/bob").json()["_id"] == "bob"
    bob_pk = server.users["bob"].id
    assert bob.get(f"/api/users/{bob_pk}").status_code == 404
    assert a.get(f"/api/projects/{pid}/permissions/{bob_pk}").status_code == 404
    assert a.get(f"/api/projects/{pid}/permissions/bob").json() == {"_id": "bob", "access": "rw"}


def test_a_grant_to_a_login_without_account_waits_for_add_user(server: Server) -> None:
    a, bob = server.client("alice"), server.client("bob")
    login = f"newcomer-{server.backend}@lab.org"
    pid = a.post("/api/projects", {"label": f"pending-{server.backend}"}).json()["_id"]
    assert a.post(f"/api/projects/{pid}/permissions", {"_id": "bob", "access": "rw"}).ok
    perms = f"/api/projects/{pid}/permissions"
    # only an admin of the project may grant, to anyone
    assert bob.post(perms, {"_id": login, "access": "admin"}).status_code == 403
    for bad in ("", "two words", "a/b", 42, None):
        r = a.post(perms, {"_id": bad, "access": "ro"})
        assert r.status_code == 400 and r.json()["success"] is False, bad
    assert a.post(perms, {"_id": login, "access": "admin"}).json() == {"modified": 1}
    assert a.put(f"{perms}/{login}", {"access": "ro"}).json() == {"modified": 1}
    detail = a.get(f"/api/projects/{pid}").json()
    assert {"_id": login, "uid": login, "access": "ro"} in detail["permissions"]
    assert a.get(f"{perms}/{login}").json() == {"_id": login, "access": "ro"}
    # members who are not admins see only their own entry, as always
    assert [p["_id"] for p in bob.get(f"/api/projects/{pid}").json()["permissions"]] == ["bob"]
    # no account came of it: the login names no user and logs nobody in
    assert a.get(f"/api/users/{login}").status_code == 404
    assert login not in [u["_id"] for u in a.get("/api/users").json()]

    group = f"pending-lab-{server.backend}"
    assert a.post("/api/groups", {"_id": group}).ok
    in_group = a.post("/api/projects", {"label": "in group", "group": group}).json()["_id"]
    r = a.post(f"/api/groups/{group}/permissions?propagate=true", {"_id": login, "access": "rw"})
    assert r.status_code == 200, r.text
    assert a.get(f"/api/projects/{in_group}/permissions/{login}").json()["access"] == "rw"

    keys = server.add_user(login, "user")
    assert keys.grants == 3  # the project, the group and the group's project
    newcomer = server.client(login)
    got = newcomer.get(f"/api/projects/{pid}")
    assert got.status_code == 200 and got.json()["permissions"] == [
        {"_id": login, "uid": login, "access": "ro"}
    ]
    assert newcomer.put(f"/api/projects/{pid}", {"label": "x"}).status_code == 403  # ro
    assert newcomer.get(f"/api/groups/{group}/permissions/{login}").json()["access"] == "rw"
    cytomine = newcomer.get(f"/api/project/{in_group}.json")
    assert cytomine.status_code == 200, cytomine.text
    # the pending rows became the account's: one entry each, removed like any other
    listed = [p for p in a.get(f"/api/projects/{pid}").json()["permissions"] if p["_id"] == login]
    assert len(listed) == 1
    assert a.delete(f"{perms}/{login}").json() == {"modified": 1}
    assert newcomer.get(f"/api/projects/{pid}").status_code == 403


def test_pending_grants_are_removed_and_moved_like_others(server: Server) -> None:
    a = server.client("alice")
    ghost, other = f"ghost-{server.backend}@lab.org", f"ghost2-{server.backend}@lab.org"
    col = a.post("/api/collections", {"label": "pending"}).json()["_id"]
    perms = f"/api/collections/{col}/permissions"
    assert a.post(perms, {"_id": ghost, "access": "rw"}).ok
    assert a.put(f"{perms}/{ghost}", {"_id": other}).json() == {"modified": 1}
    assert a.get(f"{perms}/{ghost}").status_code == 404
    assert a.get(f"{perms}/{other}").json() == {"_id": other, "access": "rw"}
    assert a.delete(f"{perms}/{other}").json() == {"modified": 1}
    assert a.delete(f"{perms}/{other}").status_code == 404
    assert [p["_id"] for p in a.get(f"/api/collections/{col}").json()["permissions"]] == ["alice"]
    group = f"ghost-lab-{server.backend}"
    assert a.post("/api/groups", {"_id": group}).ok
    assert a.put(f"/api/groups/{group}/permissions/{ghost}", {"access": "ro"}).status_code == 404
    assert a.post(f"/api/groups/{group}/permissions", {"_id": ghost, "access": "ro"}).ok
    gperm = f"/api/groups/{group}/permissions/{ghost}"
    assert a.put(gperm, {"_id": ghost, "access": "rw"}).json() == {"modified": 1}
    assert a.put(gperm, {"_id": other, "access": "ro"}).status_code == 400
    assert a.put(gperm, {"access": "ro", "label": "x"}).status_code == 400
    assert a.get(gperm).json() == {"_id": ghost, "access": "rw"}
    assert a.delete(f"/api/groups/{group}/permissions/{ghost}").ok
    assert [p["_id"] for p in a.get(f"/api/groups/{group}").json()["permissions"]] == ["alice"]
