"""Issue 11, rights findings 4-7 and 9-11: each test is the attack that worked before."""

from __future__ import annotations

import json

from tests.server.harness import Client, Keys, Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"
REJECTED = "sync:review.rejected"


def test_4_attaching_an_ontology_needs_rights_on_it(
    sec_server: Server, sec_world: dict[str, int]
) -> None:
    bob = sec_server.client("bob")
    p = sec_world["bob_project"]
    r = bob.put(f"/api/project/{p}.json", {"name": "bob-p", "ontology": sec_world["ontology"]})
    assert r.status_code == 403, r.text
    r = bob.put(f"/api/ontology/{sec_world['ontology']}.json", {"name": "taken"})
    assert r.status_code == 403
    created = bob.post("/api/project.json", {"name": "b2", "ontology": sec_world["ontology"]})
    assert created.status_code == 403
    # his own ontology he may attach
    r = bob.put(f"/api/project/{p}.json", {"name": "bob-p", "ontology": sec_world["bob_ontology"]})
    assert r.status_code == 200, r.text
    # alice's project keeps its ontology on an edit by its admin
    alice = sec_server.client("alice")
    r = alice.put(
        f"/api/project/{sec_world['project']}.json",
        {"name": "alice-p", "ontology": sec_world["ontology"]},
    )
    assert r.status_code == 200, r.text


def test_5_copying_a_slide_needs_its_storage(sec_server: Server, sec_world: dict[str, int]) -> None:
    carol_p = sec_server.client("carol").post("/api/project.json", {"name": "carol-p"})
    target = carol_p.json()["project"]["id"]
    body = {"baseImage": sec_world["abstract"], "project": target}
    for who in ("carol", "bob"):  # ro member, rw member of the project showing it
        r = sec_server.client(who).post("/api/imageinstance.json", body)
        assert r.status_code == 403, (who, r.text)
    listed = sec_server.client("carol").get(f"/api/project/{target}/imageinstance.json").json()
    assert listed["size"] == 0
    # the owner of the storage may; so may an admin
    alice_p = sec_server.client("alice").post("/api/project.json", {"name": "alice-2"})
    body["project"] = alice_p.json()["project"]["id"]
    assert sec_server.client("alice").post("/api/imageinstance.json", body).status_code == 200


def _job_keys(srv: Server, world: dict[str, int], launcher: str) -> Keys:
    root, user = srv.client("root"), srv.client(launcher)
    sw = root.post("/api/software.json", {"name": f"sw-{launcher}"}).json()["software"]
    assert root.post(
        "/api/softwareproject.json", {"software": sw["id"], "project": world["project"]}
    ).ok
    job = user.post("/api/job.json", {"software": sw["id"], "project": world["project"]})
    assert job.status_code == 200, job.text
    uj = user.get(f"/api/userJob/{job.json()['job']['userJob']}.json").json()
    return Keys(uj["id"], uj["username"], uj["publicKey"], uj["privateKey"])


def test_6_job_keys_die_with_their_launcher(sec_server: Server, sec_world: dict[str, int]) -> None:
    alice = sec_server.client("alice")
    dave = sec_server.users["dave"].id
    assert alice.post(f"/api/project/{sec_world['project']}/user/{dave}.json").ok
    bot = Client(sec_server.base, _job_keys(sec_server, sec_world, "dave"))
    made = bot.post("/api/annotation.json", {"image": sec_world["image"], "location": SQUARE})
    assert made.status_code == 200, made.text
    assert sec_server.client("admin").delete(f"/api/user/{dave}.json").status_code == 200
    assert bot.get("/api/user/current.json").status_code == 401
    again = bot.post("/api/annotation.json", {"image": sec_world["image"], "location": SQUARE})
    assert again.status_code == 401
    assert bot.get(f"/api/project/{sec_world['project']}.json").status_code == 401


def test_7_images_not_downloadable(sec_server: Server, sec_world: dict[str, int]) -> None:
    alice = sec_server.client("alice")
    p = alice.get(f"/api/project/{sec_world['project']}.json").json()
    p["areImagesDownloadable"] = False
    assert alice.put(f"/api/project/{sec_world['project']}.json", p).status_code == 200
    for who in ("carol", "guest", "bob"):
        c = sec_server.client(who)
        for path in (
            f"/api/imageinstance/{sec_world['image']}/download",
            f"/api/abstractimage/{sec_world['abstract']}/download",
        ):
            r = c.get(path)
            assert r.status_code == 403, (who, path, r.status_code)
            assert r.json()["success"] is False
        # viewing stays allowed
        assert c.get(f"/api/imageinstance/{sec_world['image']}/thumb.jpg").status_code == 200
    for who in ("alice", "admin"):
        r = sec_server.client(who).get(f"/api/imageinstance/{sec_world['image']}/download")
        assert r.status_code == 200 and r.content[:2] in (b"II", b"MM")
    p["areImagesDownloadable"] = True
    assert alice.put(f"/api/project/{sec_world['project']}.json", p).status_code == 200
    r = sec_server.client("carol").get(f"/api/imageinstance/{sec_world['image']}/download")
    assert r.status_code == 200


def test_9_reviewed_terms_are_validated(sec_server: Server, sec_world: dict[str, int]) -> None:
    alice = sec_server.client("alice")
    image = sec_world["image"]
    made = alice.post("/api/annotation.json", {"image": image, "location": SQUARE}).json()
    a_id = made["annotation"]["id"]
    assert alice.post(f"/api/imageinstance/{image}/review.json").status_code == 200
    try:
        for bad in (sec_world["bob_term"], 999_999_999):
            r = alice.post(f"/api/annotation/{a_id}/review.json", {"terms": [bad]})
            assert r.status_code == 400, r.text
            assert "ontology" in r.json()["errors"]
        r = alice.post(f"/api/annotation/{a_id}/review.json", {"terms": [sec_world["term"]]})
        assert r.status_code == 200, r.text
        rid = r.json()["reviewedannotation"]["id"]
        body = alice.get(f"/api/reviewedannotation/{rid}.json").json()
        body["terms"] = [999_999_998]
        assert alice.put(f"/api/reviewedannotation/{rid}.json", body).status_code == 400
    finally:
        alice.delete(f"/api/imageinstance/{image}/review.json")


def test_10_only_a_superadmin_touches_a_superadmin(sec_server: Server) -> None:
    admin = sec_server.client("admin")
    root_id = sec_server.users["root"].id
    r = admin.get(f"/api/user/{root_id}/keys.json")
    assert r.status_code == 403 and sec_server.users["root"].privateKey not in r.text
    assert admin.put(f"/api/user/{root_id}.json", {"email": "x@evil"}).status_code == 403
    assert admin.delete(f"/api/user/{root_id}.json").status_code == 403
    assert sec_server.client("root").get("/api/user/current.json").status_code == 200
    # an admin still manages users; a superadmin manages superadmins
    bob = sec_server.users["bob"].id
    assert admin.get(f"/api/user/{bob}/keys.json").status_code == 200
    r = sec_server.client("root2").get(f"/api/user/{root_id}/keys.json")
    assert r.json()["privateKey"] == sec_server.users["root"].privateKey


def test_11_restricted_project_properties(sec_server: Server, sec_slide: object) -> None:
    alice, bob = sec_server.client("alice"), sec_server.client("bob")
    carol = sec_server.users["carol"].id
    p = alice.post("/api/project.json", {"name": "restricted", "isRestricted": True}).json()
    pid = p["project"]["id"]
    assert alice.post(f"/api/project/{pid}/user/{sec_server.users['bob'].id}.json").ok
    assert alice.post(f"/api/project/{pid}/user/{carol}.json").ok
    from tests.security.conftest import upload

    image = upload(sec_server, "alice", sec_slide, pid)["image"]  # type: ignore[arg-type]
    carol_c = sec_server.client("carol")
    a_id = carol_c.post("/api/annotation.json", {"image": image, "location": SQUARE}).json()[
        "annotation"
    ]["id"]
    base = f"/api/annotation/{a_id}/property"
    plain = carol_c.post(f"{base}.json", {"key": "note", "value": "mine"}).json()["property"]["id"]
    rejected = carol_c.post(
        f"{base}.json", {"key": REJECTED, "value": json.dumps({"reviewUser": carol, "terms": []})}
    ).json()["property"]["id"]
    for prop in (plain, rejected):
        assert bob.delete(f"{base}/{prop}.json").status_code == 403
        assert bob.put(f"{base}/{prop}.json", {"key": "note", "value": "x"}).status_code == 403
    pushed = bob.post(
        "/api/sync/push.json",
        {"ops": [{"opId": "1", "entity": "property", "action": "delete", "id": plain}]},
    ).json()
    assert pushed["results"][0]["status"] == 403
    # the owner and the project admin may
    assert carol_c.delete(f"{base}/{plain}.json").status_code == 200
    assert alice.delete(f"{base}/{rejected}.json").status_code == 200
