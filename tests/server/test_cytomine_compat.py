"""Cytomine API behaviours real client scripts depend on (issue 18, part A).

Bulk saves, user edits, attached files, annotation crops and included annotations,
roles and key lookups, each checked with the official client where it is the client's
behaviour that matters, and over plain HTTP for rights and status codes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from cytomine import Cytomine
from cytomine.models import (
    Annotation,
    AnnotationCollection,
    AttachedFile,
    OntologyCollection,
    Project,
    TermCollection,
    User,
    UserCollection,
)
from cytomine.models import Ontology as OntologyModel
from cytomine.models import Term as TermModel
from PIL import Image

from desktop_app.server.hmac_auth import sign
from tests.server.harness import Keys, Server

PROJECT_CLS = "be.cytomine.domain.project.Project"


@pytest.fixture
def as_root(server: Server) -> Iterator[Cytomine]:
    k = server.users["root"]
    c = Cytomine(server.base, k.publicKey, k.privateKey)
    c._start()
    yield c
    c._session.close()


@pytest.fixture
def as_alice(server: Server) -> Iterator[Cytomine]:
    k = server.users["alice"]
    c = Cytomine(server.base, k.publicKey, k.privateKey)
    c._start()
    yield c
    c._session.close()


def test_bulk_save_ontologies_terms_users(server: Server, as_root: Cytomine) -> None:
    onts = OntologyCollection()
    onts.append(OntologyModel("bulk-o1"))
    onts.append(OntologyModel("bulk-o2"))
    assert onts.save()
    names = {o.name for o in OntologyCollection().fetch()}
    assert {"bulk-o1", "bulk-o2"} <= names
    onto = next(o for o in OntologyCollection().fetch() if o.name == "bulk-o1")
    terms = TermCollection()
    terms.append(TermModel("bt1", onto.id, "#111111"))
    terms.append(TermModel("bt2", onto.id, "#222222"))
    assert terms.save()
    assert {t.name for t in TermCollection().fetch_with_filter("ontology", onto.id)} == {
        "bt1",
        "bt2",
    }
    users = UserCollection()
    users.append(User("bulk-u1", "A", "B", "a@b.c", "pw"))
    assert users.save()
    assert "bulk-u1" in {u.username for u in UserCollection().fetch()}


def test_bulk_save_is_all_or_nothing(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    body = [
        {"name": "ok-term", "ontology": world["ontology"], "color": "#000000"},
        {"name": "bad-term", "ontology": 10**9, "color": "#000000"},
    ]
    r = a.post("/api/term.json", body)
    assert r.status_code == 404, r.text
    assert r.json()["errorList"][0]["index"] == 1
    terms = a.get(f"/api/ontology/{world['ontology']}/term.json").json()["collection"]
    assert "ok-term" not in {t["name"] for t in terms}
    # a guest's bulk is refused like a single create
    assert server.client("guest").post("/api/ontology.json", [{"name": "g"}]).status_code == 403
    # users: admins only, and a duplicate name saves none of the batch
    assert server.client("alice").post("/api/user.json", [{"username": "x1"}]).status_code == 403
    dup = server.client("admin").post("/api/user.json", [{"username": "y1"}, {"username": "bob"}])
    assert dup.status_code == 409
    names = {
        u["username"] for u in server.client("admin").get("/api/user.json").json()["collection"]
    }
    assert "y1" not in names


def test_username_change_and_delete(server: Server, as_root: Cytomine) -> None:
    user = User("rename-me", "R", "M", "r@m.c", "pw").save()
    assert user and user.id
    user.username = "renamed-user"
    assert user.update().username == "renamed-user"
    assert User().fetch(user.id).username == "renamed-user"
    taken = server.client("root").put(f"/api/user/{user.id}.json", {"username": "alice"})
    assert taken.status_code == 409
    assert (
        server.client("bob").put(f"/api/user/{user.id}.json", {"username": "z"}).status_code == 403
    )
    # an account that never wrote anything is deleted, as in Cytomine
    assert user.delete()
    assert not User().fetch(user.id)
    # one that wrote something is disabled, so its data keeps its author
    writer = server.client("root").post("/api/user.json", {"username": "writer-x"}).json()["user"]
    keys = server.client("root").get(f"/api/user/{writer['id']}/keys.json").json()
    server.users["writer-x"] = Keys(id=writer["id"], username="writer-x", **keys)
    assert server.client("writer-x").post("/api/ontology.json", {"name": "w"}).status_code == 200
    assert server.client("root").delete(f"/api/user/{writer['id']}.json").status_code == 200
    kept = server.client("root").get(f"/api/user/{writer['id']}.json").json()
    assert kept["enabled"] is False


def test_attached_file_through_the_client(
    server: Server, world: dict[str, int], as_alice: Cytomine, tmp_path: Path
) -> None:
    f = tmp_path / "sub" / "notes.txt"
    f.parent.mkdir()
    f.write_text("hello")
    project = Project().fetch(world["project"])
    af = AttachedFile(project, str(f)).save()
    assert af and af.id and af.filename == "notes.txt"
    assert AttachedFile(project).fetch(af.id).filename == "notes.txt"
    got = server.client("alice").get(f"/api/attachedfile/{af.id}/download")
    assert got.content == b"hello"


def _annotation(server: Server, image: int, wkt: str, who: str = "alice") -> int:
    r = server.client(who).post("/api/annotation.json", {"image": image, "location": wkt})
    assert r.status_code == 200, r.text
    return int(r.json()["annotation"]["id"])


def test_crops_masks_alpha(
    server: Server, world: dict[str, int], as_alice: Cytomine, tmp_path: Path
) -> None:
    image = world["image"]
    pk = _annotation(server, image, "POLYGON ((100 100, 300 100, 300 200, 100 200, 100 100))")
    ann = Annotation().fetch(pk)
    assert ann.cropURL == f"{server.base}/api/userannotation/{pk}/crop.png"
    a = server.client("alice")
    crop = Image.open(io.BytesIO(a.get(f"/api/userannotation/{pk}/crop.png").content))
    assert crop.size == (200, 100)
    small = a.get(f"/api/annotation/{pk}/crop.jpg", params={"maxSize": 50})
    assert small.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(small.content)).size == (50, 25)
    grown = a.get(f"/api/userannotation/{pk}/crop.png", params={"increaseArea": 2})
    assert Image.open(io.BytesIO(grown.content)).size == (400, 200)
    tri = _annotation(server, image, "POLYGON ((400 400, 600 400, 400 600, 400 400))")
    mask = Image.open(io.BytesIO(a.get(f"/api/userannotation/{tri}/mask.png").content))
    assert mask.mode == "L" and mask.size == (200, 200)
    assert mask.getpixel((10, 190)) == 255 and mask.getpixel((190, 10)) == 0
    alpha = Image.open(io.BytesIO(a.get(f"/api/userannotation/{tri}/alphamask.png").content))
    assert alpha.mode == "RGBA"
    assert alpha.getpixel((10, 190))[3] == 255 and alpha.getpixel((190, 10))[3] == 0
    # the client's own dump (get_annotations.py --download_path) writes all three
    for mask_, alpha_, name in (
        (False, False, "c.jpg"),
        (True, False, "m.jpg"),
        (True, True, "a.png"),
    ):
        ok = (
            Annotation()
            .fetch(tri)
            .dump(dest_pattern=str(tmp_path / name), mask=mask_, alpha=alpha_, max_size=64)
        )
        assert ok and Image.open(tmp_path / name).size == (64, 64)
    # rights: a non-member may not see a crop
    outsider = server.add_user(f"outsider-{server.backend}", "user")
    assert outsider
    assert (
        server.client(outsider.username).get(f"/api/userannotation/{pk}/crop.png").status_code
        == 403
    )
    assert server.client("guest").get(f"/api/userannotation/{pk}/mask.png").status_code == 200
    assert a.get(f"/api/userannotation/{pk}/crop.gif").status_code == 400
    assert a.get(f"/api/userannotation/{10**9}/crop.png").status_code == 404


def test_included_annotations(server: Server, world: dict[str, int], as_alice: Cytomine) -> None:
    image = world["image"]
    a = server.client("alice")
    roi = _annotation(server, image, "POLYGON ((700 100, 900 100, 900 300, 700 300, 700 100))")
    inside = [
        _annotation(server, image, "POINT (750 150)"),
        _annotation(server, image, "POINT (850 250)"),
        _annotation(server, image, "POLYGON ((720 120, 760 120, 760 160, 720 160, 720 120))"),
    ]
    crossing = _annotation(server, image, "POLYGON ((880 280, 950 280, 950 350, 880 350, 880 280))")
    near = _annotation(server, image, "POINT (910 200)")

    def ids(path: str, **params: object) -> set[int]:
        r = a.get(path, params={"image": image, **params})
        assert r.status_code == 200, r.text
        return {x["id"] for x in r.json()["collection"]}

    assert ids("/api/annotation.json", annotation=roi) == set(inside)
    assert ids(f"/api/imageinstance/{image}/annotation/included.json", annotation=roi) == set(
        inside
    )
    wkt = "POLYGON ((700 100, 900 100, 900 300, 700 300, 700 100))"
    assert ids(f"/api/imageinstance/{image}/annotation/included.json", geometry=wkt) >= set(inside)
    assert crossing in ids("/api/annotation.json", bboxAnnotation=roi)
    assert near not in ids("/api/annotation.json", bboxAnnotation=roi)
    assert near in ids("/api/annotation.json", baseAnnotation=roi, maxDistanceBaseAnnotation=15)
    assert near not in ids("/api/annotation.json", baseAnnotation=roi, maxDistanceBaseAnnotation=5)
    # the client's example: annotations of the image included in the ROI
    coll = AnnotationCollection()
    coll.image, coll.annotation = image, roi
    assert {x.id for x in coll.fetch()} == set(inside)
    assert a.get(f"/api/imageinstance/{image}/annotation/included.json").status_code == 400
    assert (
        a.get("/api/annotation.json", params={"image": image, "annotation": 10**9}).status_code
        == 404
    )


def test_roles_keys_signature_lookups(server: Server, world: dict[str, int]) -> None:
    a, root = server.client("alice"), server.client("root")
    roles = a.get("/api/role.json").json()["collection"]
    by_name = {r["authority"]: r["id"] for r in roles}
    assert set(by_name) == {"ROLE_SUPER_ADMIN", "ROLE_ADMIN", "ROLE_USER", "ROLE_GUEST"}
    assert a.get(f"/api/role/{by_name['ROLE_USER']}.json").json()["authority"] == "ROLE_USER"
    carol = server.users["carol"].id
    mine = a.get(f"/api/user/{server.users['alice'].id}/role.json").json()["collection"]
    assert [r["authority"] for r in mine] == ["ROLE_USER"]
    assert a.get(f"/api/user/{carol}/role.json").status_code == 403
    guest_role = {"user": carol, "role": by_name["ROLE_GUEST"]}
    assert a.post(f"/api/user/{carol}/role.json", guest_role).status_code == 403
    assert (
        server.client("admin")
        .post(f"/api/user/{carol}/role.json", {"role": by_name["ROLE_SUPER_ADMIN"]})
        .status_code
        == 403
    )
    added = root.post(f"/api/user/{carol}/role.json", guest_role)
    assert added.status_code == 200 and added.json()["secusersecrole"]["user"] == carol
    assert root.post(f"/api/user/{carol}/role.json", guest_role).status_code == 409
    assert root.get(f"/api/user/{carol}/role/{by_name['ROLE_GUEST']}.json").status_code == 200
    path = f"/api/user/{carol}/role/{by_name['ROLE_GUEST']}.json"
    assert server.client("carol").delete(path).status_code == 403
    assert root.delete(path).status_code == 200
    assert root.get(path).status_code == 404

    pub = server.users["alice"].publicKey
    keys = a.get(f"/api/userkey/{pub}/keys.json").json()
    assert keys["privateKey"] == server.users["alice"].privateKey
    assert server.client("bob").get(f"/api/userkey/{pub}/keys.json").status_code == 403
    assert root.get(f"/api/userkey/{pub}/keys.json").status_code == 200
    assert a.get("/api/userkey/nope/keys.json").status_code == 404
    params = {"method": "GET", "date": "d", "forwardURI": "/api/x.json"}
    sig = a.get("/api/signature.json", params=params).json()["signature"]
    assert sig == sign(server.users["alice"].privateKey, "GET\n\n\nd\n/api/x.json")

    onto = world["ontology"]
    projects = a.get(f"/api/ontology/{onto}/project.json").json()["collection"]
    assert world["project"] in [p["id"] for p in projects]
    users = {u["id"] for u in a.get(f"/api/ontology/{onto}/user.json").json()["collection"]}
    assert {server.users["alice"].id, carol} <= users
    stranger = server.add_user(f"onto-stranger-{server.backend}", "user")
    assert (
        server.client(stranger.username).get(f"/api/ontology/{onto}/user.json").status_code == 403
    )
