"""Storage-side writes as the official client makes them, with their rights.

The client builds test data without pixels: UploadedFile, AbstractImage, AbstractSlice
rows, then an ImageInstance of them.  Every role is tried on every new route.
"""

from __future__ import annotations

from typing import Any

from tests.server.harness import Server


def _own_storage(server: Server, who: str) -> int:
    me = server.users[who].id
    rows = server.client(who).get("/api/storage.json").json()["collection"]
    mine = [s for s in rows if s["userId"] == me]
    assert mine and all(s["user"] == s["userId"] for s in rows)
    return int(mine[0]["id"])


def _uploaded(server: Server, who: str, storage: int, **extra: Any) -> Any:
    body = {
        "originalFilename": "orig.tiff",
        "filename": "stored.tiff",
        "size": 1,
        "ext": "tiff",
        "contentType": "image/tiff",
        "storage": storage,
        **extra,
    }
    return server.client(who).post("/api/uploadedfile.json", body)


def test_uploaded_file_abstract_image_slice_chain(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    storage = _own_storage(server, "alice")
    r = _uploaded(server, "alice", storage, projects=world["project"])
    assert r.status_code == 200, r.text
    uf = r.json()["uploadedfile"]
    assert (uf["user"], uf["storage"], uf["projects"]) == (
        server.users["alice"].id,
        storage,
        [world["project"]],
    )
    edited = a.put(f"/api/uploadedfile/{uf['id']}.json", {**uf, "filename": "renamed"})
    assert edited.status_code == 200 and edited.json()["uploadedfile"]["filename"] == "renamed"

    body = {"originalFilename": "img", "uploadedFile": uf["id"], "width": 50, "height": 40}
    ai = a.post("/api/abstractimage.json", body).json()["abstractimage"]
    assert (ai["width"], ai["height"], ai["originalFilename"]) == (50, 40, "img")
    sl = a.post(
        "/api/abstractslice.json",
        {"image": ai["id"], "uploadedFile": uf["id"], "mime": "image/tiff", "channel": 0},
    )
    assert sl.status_code == 200, sl.text
    dup = a.post("/api/abstractslice.json", {"image": ai["id"], "channel": 0})
    assert dup.status_code == 409
    by_upload = a.get(f"/api/uploadedfile/{uf['id']}/abstractslice.json").json()["collection"]
    assert [s["id"] for s in by_upload] == [sl.json()["abstractslice"]["id"]]

    # calibrate_image.py sets the 3.x "resolution" and PUTs the whole object back
    calibrated = a.put(f"/api/abstractimage/{ai['id']}.json", {**ai, "resolution": 0.25})
    assert calibrated.status_code == 200, calibrated.text
    got = a.get(f"/api/abstractimage/{ai['id']}.json").json()
    assert (got["physicalSizeX"], got["physicalSizeY"]) == (0.25, 0.25)

    inst = a.post("/api/imageinstance.json", {"baseImage": ai["id"], "project": world["project"]})
    assert inst.status_code == 200, inst.text
    iid = inst.json()["imageinstance"]["id"]
    assert len(a.get(f"/api/imageinstance/{iid}/sliceinstance.json").json()["collection"]) == 1
    # pixels were never uploaded: the image routes say so instead of failing
    assert a.get(f"/api/imageinstance/{iid}/thumb.png").status_code == 404
    in_use = a.delete(f"/api/abstractimage/{ai['id']}.json")
    assert in_use.status_code == 403 and "project" in in_use.json()["errors"]
    assert a.delete(f"/api/imageinstance/{iid}.json").status_code == 200
    assert a.delete(f"/api/abstractimage/{ai['id']}.json").status_code == 200
    assert a.get(f"/api/abstractimage/{ai['id']}.json").status_code == 404
    assert a.delete(f"/api/uploadedfile/{uf['id']}.json").status_code == 200
    assert a.get(f"/api/uploadedfile/{uf['id']}.json").status_code == 404


def test_storage_rights_for_every_role(server: Server) -> None:
    alice_storage = _own_storage(server, "alice")
    # a user writes only in their own storage
    assert _uploaded(server, "bob", alice_storage).status_code == 403
    assert _uploaded(server, "guest", alice_storage).status_code == 403
    bob_uf = _uploaded(server, "bob", _own_storage(server, "bob"))
    assert bob_uf.status_code == 200
    uf = bob_uf.json()["uploadedfile"]
    assert server.client("alice").get(f"/api/uploadedfile/{uf['id']}.json").status_code == 403
    assert server.client("alice").put(f"/api/uploadedfile/{uf['id']}.json", uf).status_code == 403
    assert server.client("guest").delete(f"/api/uploadedfile/{uf['id']}.json").status_code == 403
    # nobody but its owner (or an admin) uploads in someone else's name
    r = _uploaded(server, "bob", _own_storage(server, "bob"), user=server.users["alice"].id)
    assert r.status_code == 403
    for admin in ("admin", "root"):
        r = _uploaded(server, admin, alice_storage, user=server.users["alice"].id)
        assert r.status_code == 200, r.text
    # abstract images of an upload: its owner's
    ai = server.client("bob").post(
        "/api/abstractimage.json", {"originalFilename": "b", "uploadedFile": uf["id"]}
    )
    assert ai.status_code == 200
    aid = ai.json()["abstractimage"]["id"]
    steal = {"originalFilename": "a", "uploadedFile": uf["id"]}
    assert server.client("alice").post("/api/abstractimage.json", steal).status_code == 403
    for who in ("alice", "carol", "guest"):
        put = server.client(who).put(f"/api/abstractimage/{aid}.json", steal)
        assert put.status_code == 403, who
        assert server.client(who).delete(f"/api/abstractimage/{aid}.json").status_code == 403
    assert server.client("admin").put(f"/api/abstractimage/{aid}.json", steal).status_code == 200


def test_storage_edit_and_owner(server: Server) -> None:
    bob = server.users["bob"].id
    root = server.client("root")
    made = root.post("/api/storage.json", {"name": "for bob", "userId": bob})
    assert made.status_code == 200 and made.json()["storage"]["userId"] == bob
    sid = made.json()["storage"]["id"]
    assert sid in [
        s["id"] for s in server.client("bob").get("/api/storage.json").json()["collection"]
    ]
    refused = server.client("alice").post("/api/storage.json", {"name": "x", "userId": bob})
    assert refused.status_code == 403
    renamed = server.client("bob").put(f"/api/storage/{sid}.json", {"name": "bob's", "userId": bob})
    assert renamed.status_code == 200 and renamed.json()["storage"]["name"] == "bob's"
    give = server.client("bob").put(
        f"/api/storage/{sid}.json", {"name": "x", "userId": server.users["alice"].id}
    )
    assert give.status_code == 403
    for who in ("alice", "carol", "guest"):
        r = server.client(who).put(f"/api/storage/{sid}.json", {"name": "mine now"})
        assert r.status_code == 403, who
    assert server.client("bob").put(f"/api/storage/{sid}.json", {"name": ""}).status_code == 400
