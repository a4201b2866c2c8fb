"""SciTran conventions from scitran/core's integration tests (issue 18, SciTran part).

Groups created with only ``_id``; single tags (GET/PUT, 409 on duplicates, 400 over 32
characters, 404 on a rename onto an existing tag); single permissions.
"""

from __future__ import annotations

from tests.server.harness import Server


def test_group_needs_only_its_id(server: Server) -> None:
    a = server.client("alice")
    gid = f"only-id-{server.backend}"
    r = a.post("/api/groups", {"_id": gid})
    assert r.status_code == 200, r.text
    assert r.json() == {"_id": gid}
    got = a.get(f"/api/groups/{gid}").json()
    assert got["label"] == gid
    assert a.post("/api/groups", {"_id": gid}).status_code == 409
    assert server.client("guest").post("/api/groups", {"_id": "g-" + gid}).status_code == 403


def test_group_tags_as_scitran(server: Server) -> None:
    a, bob = server.client("alice"), server.client("bob")
    gid = f"tags-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).status_code == 200
    tags = f"/api/groups/{gid}/tags"
    assert a.get(f"{tags}/grey").status_code == 404
    assert a.post(tags, {"value": "grey"}).status_code == 200
    assert a.get(f"{tags}/grey").json() == "grey"
    assert a.post(tags, {"value": "grey"}).status_code == 409
    assert a.post(tags, {"value": "x" * 33}).status_code == 400
    assert a.post(tags, {"value": "brown"}).status_code == 200
    assert a.put(f"{tags}/grey", {"value": "brown"}).status_code == 404  # onto an existing tag
    assert a.put(f"{tags}/grey", {"value": "blue"}).status_code == 200
    assert a.get(f"{tags}/grey").status_code == 404
    assert a.get(f"{tags}/blue").json() == "blue"
    assert a.put(f"{tags}/blue", {"value": "y" * 40}).status_code == 400
    # bob holds no permission on the group
    assert bob.get(f"{tags}/blue").status_code == 403
    assert bob.put(f"{tags}/blue", {"value": "red"}).status_code == 403


def test_container_tags_as_scitran(server: Server, world: dict[str, int]) -> None:
    bob, carol = server.client("bob"), server.client("carol")
    tags = f"/api/projects/{world['project']}/tags"
    value = f"t-{server.backend}"
    assert bob.post(tags, {"value": value}).status_code == 200
    assert bob.post(tags, {"value": value}).status_code == 409
    assert bob.post(tags, {"value": "z" * 33}).status_code == 400
    assert carol.get(f"{tags}/{value}").json() == value
    assert carol.put(f"{tags}/{value}", {"value": "other"}).status_code == 403
    assert bob.put(f"{tags}/{value}", {"value": value + "2"}).status_code == 200
    assert carol.get(f"{tags}/{value}").status_code == 404
    assert bob.delete(f"{tags}/{value}2").status_code == 200


def test_single_permissions(server: Server, world: dict[str, int]) -> None:
    a, bob, carol = server.client("alice"), server.client("bob"), server.client("carol")
    gid = f"perm-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).status_code == 200
    bob_id = server.users["bob"].username
    perm = {"_id": bob_id, "access": "rw"}
    assert a.post(f"/api/groups/{gid}/permissions", perm).status_code == 200
    path = f"/api/groups/{gid}/permissions/{bob_id}"
    assert a.get(path).json() == {"_id": bob_id, "access": "rw"}
    assert bob.get(path).json()["access"] == "rw"  # one's own
    assert carol.get(path).status_code == 403
    assert bob.put(path, {"access": "admin"}).status_code == 403
    assert a.put(path, {"access": "ro"}).status_code == 200
    assert a.get(path).json()["access"] == "ro"
    assert a.put(path, {"access": "boss"}).status_code == 400
    carol_id = server.users["carol"].username
    assert a.put(f"/api/groups/{gid}/permissions/{carol_id}", {"access": "ro"}).status_code == 404
    project_perm = f"/api/projects/{world['project']}/permissions/{carol_id}"
    assert carol.get(project_perm).json() == {"_id": carol_id, "access": "ro"}
    assert a.get(project_perm).json()["access"] == "ro"
    assert carol.get(f"/api/projects/{world['project']}/permissions/{bob_id}").status_code == 403


def test_status_codes_as_scitran(server: Server, world: dict[str, int]) -> None:
    a, bob = server.client("alice"), server.client("bob")
    gid = f"codes-{server.backend}"
    assert a.post("/api/groups", {"_id": gid}).status_code == 200
    assert a.put(f"/api/groups/{gid}", {}).status_code == 400
    sid = a.post("/api/sessions", {"project": str(world["project"]), "label": "s"}).json()["_id"]
    assert a.put(f"/api/sessions/{sid}", {}).status_code == 400
    assert a.put(f"/api/sessions/{sid}", {"label": "t"}).status_code == 200
    for bad in ("not-an-id", "5f1a2b3c4d5e6f7a8b9c0d1e", "999999999"):
        assert a.get(f"/api/sessions/{bad}").status_code == 404, bad
    # an rw group member may not put projects in the group; a group admin may
    bob_id = server.users["bob"].username
    assert a.post(f"/api/groups/{gid}/permissions", {"_id": bob_id, "access": "rw"}).ok
    refused = bob.post("/api/projects", {"label": "p", "group": gid})
    assert refused.status_code == 403
    assert a.post("/api/projects", {"label": "p", "group": gid}).status_code == 200


def test_collection_created_with_contents(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    sid = a.post("/api/sessions", {"project": str(world["project"]), "label": "c"}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid, "label": "a"}).json()["_id"]
    contents = {"operation": "add", "nodes": [{"level": "session", "_id": sid}]}
    r = a.post("/api/collections", {"label": f"with-{server.backend}", "contents": contents})
    assert r.status_code == 200, r.text
    assert r.json()["_id"] in a.get(f"/api/acquisitions/{acq}").json()["collections"]


def test_nested_lists_and_user_lists(server: Server, world: dict[str, int]) -> None:
    a, bob, carol = server.client("alice"), server.client("bob"), server.client("carol")
    pid = str(world["project"])
    sid = a.post("/api/sessions", {"project": pid, "label": "n"}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid, "label": "a"}).json()["_id"]
    assert sid in [s["_id"] for s in carol.get(f"/api/projects/{pid}/sessions").json()]
    assert [x["_id"] for x in carol.get(f"/api/sessions/{sid}/acquisitions").json()] == [acq]
    col = a.post(
        "/api/collections",
        {
            "label": "n",
            "contents": {"operation": "add", "nodes": [{"level": "acquisition", "_id": acq}]},
        },
    ).json()["_id"]
    assert [x["_id"] for x in a.get(f"/api/collections/{col}/acquisitions").json()] == [acq]
    assert [x["_id"] for x in a.get(f"/api/collections/{col}/sessions").json()] == [sid]
    assert bob.get(f"/api/collections/{col}/sessions").status_code == 403
    # nested analysis create: rw members of the parent's project
    made = bob.post(f"/api/sessions/{sid}/analyses", {"label": "seg"})
    assert made.status_code == 200, made.text
    assert made.json()["_id"] in [
        x["_id"] for x in a.get(f"/api/sessions/{sid}").json()["analyses"]
    ]
    assert carol.post(f"/api/sessions/{sid}/analyses", {"label": "x"}).status_code == 403
    subj = a.post("/api/sessions", {"project": pid, "subject": {"code": "P-7"}}).json()["_id"]
    assert carol.get(f"/api/sessions/{subj}/subject").json()["code"] == "P-7"
    assert carol.get(f"/api/sessions/{sid}/subject").json()["code"] is None  # made at create
    me = server.users["carol"].username
    assert pid in [p["_id"] for p in carol.get(f"/api/users/{me}/projects").json()]
    assert sid in [s["_id"] for s in carol.get(f"/api/users/{me}/sessions").json()]
    assert carol.get(f"/api/users/{me}/groups").json() == []
    assert bob.get(f"/api/users/{me}/projects").status_code == 403
    assert server.client("admin").get(f"/api/users/{me}/projects").status_code == 200
    old = carol.get("/api/users/self").json()["key"]
    new = carol.post("/api/users/self/key").json()["key"]
    assert new != old and carol.get("/api/users/self").json()["key"] == new


def test_info_operations_and_file_metadata(server: Server, world: dict[str, int]) -> None:
    a, bob, carol = server.client("alice"), server.client("bob"), server.client("carol")
    pid = str(world["project"])
    sid = a.post("/api/sessions", {"project": pid, "subject": {"code": "I-1"}}).json()["_id"]
    info = f"/api/sessions/{sid}/info"
    assert bob.post(info, {"set": {"a": 1, "b": 2}}).status_code == 200
    assert a.get(f"/api/sessions/{sid}").json()["info"] == {"a": 1, "b": 2}
    listed = [s for s in a.get("/api/sessions", params={"project": pid}).json() if s["_id"] == sid]
    assert listed[0]["info_exists"] is True and listed[0]["info"] == {}
    # lists carry info's reserved keys only (SciTran's list projection), no session tags
    assert (
        bob.post(info, {"set": {"BIDS": {"x": 1}}}).ok
        and bob.post(f"{info[:-5]}/tags", {"value": "t"}).ok
    )
    listed = [s for s in a.get("/api/sessions", params={"project": pid}).json() if s["_id"] == sid]
    assert listed[0]["info"] == {"BIDS": {"x": 1}} and "tags" not in listed[0]
    assert "sex" not in listed[0]["subject"]
    assert bob.post(info, {"delete": ["BIDS"]}).ok
    assert bob.post(info, {"delete": ["a"]}).ok
    assert bob.post(info, {"replace": {"c": 3}}).ok
    assert a.get(f"/api/sessions/{sid}").json()["info"] == {"c": 3}
    for bad in ({}, {"set": 1}, {"set": {}, "delete": []}, {"delete": "c"}, {"merge": {}}):
        assert bob.post(info, bad).status_code == 400, bad
    assert carol.post(info, {"set": {"x": 1}}).status_code == 403
    assert bob.post(f"/api/sessions/{sid}/subject/info", {"set": {"weight": 70}}).ok
    assert a.get(f"/api/sessions/{sid}").json()["subject"]["info"] == {"weight": 70}
    acq = a.post("/api/acquisitions", {"session": sid, "label": "f"}).json()["_id"]
    up = bob.post(f"/api/acquisitions/{acq}/files", files={"file": ("r.txt", b"x")})
    assert up.status_code == 200, up.text
    f = f"/api/acquisitions/{acq}/files/r.txt"
    assert bob.put(f, {"modality": "MR", "measurements": ["T1"]}).status_code == 200
    assert bob.put(f, {}).status_code == 400
    assert bob.post(f + "/info", {"set": {"k": "v"}}).status_code == 200
    got = a.get(f"/api/acquisitions/{acq}").json()["files"][0]
    assert (got["modality"], got["measurements"], got["info"]) == ("MR", ["T1"], {"k": "v"})
    assert carol.put(f, {"modality": "CT"}).status_code == 403
    assert bob.put(f"/api/acquisitions/{acq}/files/nope.txt", {"modality": "CT"}).status_code == 404


def test_users_post_and_single_note(server: Server, world: dict[str, int]) -> None:
    admin, a, carol = server.client("admin"), server.client("alice"), server.client("carol")
    name = f"sc-user-{server.backend}@lab.org"
    made = admin.post("/api/users", {"_id": name, "firstname": "Ada", "lastname": "L"})
    assert made.status_code == 200, made.text
    uid = made.json()["_id"]
    assert a.get(f"/api/users/{uid}").json()["firstname"] == "Ada"
    again = {"_id": name, "firstname": "Ada", "lastname": "L"}
    assert admin.post("/api/users", again).status_code == 409
    # SciTran's user-new schema requires the names
    missing = admin.post("/api/users", {"_id": name + ".x", "lastname": "L"})
    assert missing.status_code == 400 and "'firstname' is a required property" in missing.text
    assert a.post("/api/users", {"_id": "x@y.z"}).status_code == 403
    sid = a.post("/api/sessions", {"project": str(world["project"])}).json()["_id"]
    nid = a.post(f"/api/sessions/{sid}/notes", {"text": "hello"}).json()["_id"]
    got = carol.get(f"/api/sessions/{sid}/notes/{nid}")
    assert got.status_code == 200 and got.json()["text"] == "hello"
    assert carol.get(f"/api/sessions/{sid}/notes/999999").status_code == 404
    assert carol.get(f"/api/sessions/{sid}/notes/bad").status_code == 404


def test_upload_several_files_with_metadata(server: Server, world: dict[str, int]) -> None:
    import json

    a, carol = server.client("alice"), server.client("carol")
    sid = a.post("/api/sessions", {"project": str(world["project"])}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid}).json()["_id"]
    meta = {"acquisition": {"files": [{"name": "one.csv", "modality": "MR", "info": {"k": 1}}]}}
    files = {
        "file1": ("one.csv", b"1\n"),
        "file2": ("two.csv", b"2\n"),
        "metadata": ("", json.dumps(meta)),
    }
    r = a.post(f"/api/acquisitions/{acq}/files", files=files)
    assert r.status_code == 200, r.text
    assert r.json()["modified"] == 2
    got = {f["name"]: f for f in a.get(f"/api/acquisitions/{acq}/files").json()}
    assert set(got) == {"one.csv", "two.csv"}
    assert got["one.csv"]["modality"] == "MR" and got["two.csv"]["modality"] is None
    assert a.get(f"/api/acquisitions/{acq}").json()["files"][0]["info"] in ({"k": 1}, {})
    assert a.get(f"/api/acquisitions/{acq}/files/two.csv").content == b"2\n"
    bad = {"file": ("x.csv", b"x"), "metadata": ("", "{not json")}
    assert a.post(f"/api/acquisitions/{acq}/files", files=bad).status_code == 400
    assert (
        carol.post(f"/api/acquisitions/{acq}/files", files={"file": ("c.csv", b"c")}).status_code
        == 403
    )
