"""Resources the server lacked (issue 18 part C), with Cytomine's shapes, rights and codes.

Roles in the ``world`` project: alice admin (creator), bob rw, carol ro, guest ro (but
a guest), plus a non-member created here and the global admin.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.harness import Keys, Server

PROJECT_CLS = "be.cytomine.domain.project.Project"
SQUARE = "POLYGON ((20 20, 80 20, 80 80, 20 80, 20 20))"


@pytest.fixture(scope="module")
def outsider(server: Server) -> Keys:
    return server.add_user(f"companion-outsider-{server.backend}", "user")


def _ann(server: Server, who: str, image: int, wkt: str = SQUARE) -> int:
    r = server.client(who).post("/api/annotation.json", {"image": image, "location": wkt})
    assert r.status_code == 200, r.text
    return int(r.json()["annotation"]["id"])


def test_tags_and_domain_associations(
    server: Server, world: dict[str, int], outsider: Keys
) -> None:
    bob, carol, guest = (server.client(w) for w in ("bob", "carol", "guest"))
    made = bob.post("/api/tag.json", {"name": f"needs-review-{server.backend}"})
    assert made.status_code == 200, made.text
    tag = made.json()["tag"]
    assert tag["class"] == "be.cytomine.domain.meta.Tag" and tag["creatorName"] == "bob"
    assert bob.post("/api/tag.json", {"name": tag["name"]}).status_code == 409
    assert bob.post("/api/tag.json", {}).status_code == 400
    assert guest.post("/api/tag.json", {"name": "g"}).status_code == 403
    assert tag["id"] in [t["id"] for t in guest.get("/api/tag.json").json()["collection"]]
    # only the creator (or an admin) renames it
    assert carol.put(f"/api/tag/{tag['id']}.json", {"name": "x"}).status_code == 403
    renamed = bob.put(f"/api/tag/{tag['id']}.json", {"name": f"renamed-{server.backend}"})
    assert renamed.status_code == 200
    # tagging a project: its rw members; reading: its readers
    path = f"/api/domain/{PROJECT_CLS}/{world['project']}/tag_domain_association.json"
    assert carol.post(path, {"tag": tag["id"]}).status_code == 403
    assert server.client(outsider.username).post(path, {"tag": tag["id"]}).status_code == 403
    tda = bob.post(path, {"tag": tag["id"]})
    assert tda.status_code == 200, tda.text
    obj = tda.json()["tagdomainassociation"]
    assert (obj["domainIdent"], obj["tag"], obj["tagName"]) == (
        world["project"],
        tag["id"],
        f"renamed-{server.backend}",
    )
    assert bob.post(path, {"tag": tag["id"]}).status_code == 409
    assert obj["id"] in [x["id"] for x in carol.get(path).json()["collection"]]
    assert server.client(outsider.username).get(path).status_code == 403
    by_query = carol.get(
        "/api/tag_domain_association.json",
        params={"domainClassName": PROJECT_CLS, "domainIdent": world["project"]},
    )
    assert obj["id"] in [x["id"] for x in by_query.json()["collection"]]
    # the project-wide listing (sync extension): the project's, its images', its
    # annotations' associations; not another project's; project readers only
    ann = _ann(server, "bob", world["image"])
    on_ann = bob.post(
        f"/api/domain/be.cytomine.domain.ontology.UserAnnotation/{ann}/tag_domain_association.json",
        {"tag": tag["id"]},
    ).json()["tagdomainassociation"]["id"]
    listing = f"/api/project/{world['project']}/tag_domain_association.json"
    listed = [x["id"] for x in carol.get(listing).json()["collection"]]
    assert obj["id"] in listed and on_ann in listed
    assert server.client(outsider.username).get(listing).status_code == 403
    other = bob.post("/api/project.json", {"name": f"tags-other-{server.backend}"}).json()
    other_id = other["project"]["id"]
    assert (
        bob.get(f"/api/project/{other_id}/tag_domain_association.json").json()["collection"] == []
    )
    assert carol.delete(f"/api/tag_domain_association/{obj['id']}.json").status_code == 403
    assert bob.delete(f"/api/tag_domain_association/{obj['id']}.json").status_code == 200
    assert carol.get(f"/api/tag_domain_association/{obj['id']}.json").status_code == 404
    assert server.client("admin").delete(f"/api/tag/{tag['id']}.json").status_code == 200
    assert bob.get(f"/api/tag/{tag['id']}.json").status_code == 404


def test_tracks_and_annotation_tracks(
    server: Server, world: dict[str, int], outsider: Keys
) -> None:
    bob, carol = server.client("bob"), server.client("carol")
    image, project = world["image"], world["project"]
    assert carol.post("/api/track.json", {"name": "t", "image": image}).status_code == 403
    t = bob.post("/api/track.json", {"name": "cell-1", "image": image, "color": "#FF0000"})
    assert t.status_code == 200, t.text
    track = t.json()["track"]
    assert (track["image"], track["project"], track["color"]) == (image, project, "#FF0000")
    for listing in (f"/api/imageinstance/{image}/track.json", f"/api/project/{project}/track.json"):
        assert track["id"] in [x["id"] for x in carol.get(listing).json()["collection"]]
    assert server.client(outsider.username).get(f"/api/track/{track['id']}.json").status_code == 403
    ann = _ann(server, "bob", image)
    path = f"/api/annotationtrack/{ann}/{track['id']}.json"
    assert carol.post(path).status_code == 403
    at = bob.post(path)
    assert at.status_code == 200, at.text
    assert at.json()["annotationtrack"]["annotationIdent"] == ann
    assert bob.post(path).status_code == 409
    assert carol.get(path).json()["track"] == track["id"]
    listed = carol.get(f"/api/annotation/{ann}/annotationtrack.json").json()["collection"]
    assert [x["track"] for x in listed] == [track["id"]]
    assert carol.delete(path).status_code == 403
    assert bob.delete(path).status_code == 200
    assert carol.get(path).status_code == 404
    edited = bob.put(f"/api/track/{track['id']}.json", {"name": "cell-2", "image": image})
    assert edited.status_code == 200 and edited.json()["track"]["name"] == "cell-2"
    changes = server.client("alice").get(f"/api/project/{project}/changes.json").json()
    assert {"track", "annotationtrack"} <= {c["entity"] for c in changes["changes"]}
    assert bob.delete(f"/api/track/{track['id']}.json").status_code == 200


def test_image_groups_annotation_groups_links(server: Server, world: dict[str, int]) -> None:
    bob, carol = server.client("bob"), server.client("carol")
    image, project = world["image"], world["project"]
    ig = bob.post("/api/imagegroup.json", {"name": "serial", "project": project}).json()
    ig_id = ig["imagegroup"]["id"]
    member = f"/api/imagegroup/{ig_id}/imageinstance/{image}.json"
    assert carol.post(member).status_code == 403
    assert bob.post(member).status_code == 200
    assert bob.post(member).status_code == 409
    by_image = carol.get(f"/api/imageinstance/{image}/imagegroupimageinstance.json").json()
    assert ig_id in [m["group"] for m in by_image["collection"]]
    body = {"project": project, "imageGroup": ig_id}
    assert carol.post("/api/annotationgroup.json", body).status_code == 403
    assert bob.post("/api/annotationgroup.json", {**body, "type": "NOPE"}).status_code == 400
    group = bob.post("/api/annotationgroup.json", body).json()["annotationgroup"]
    assert group["type"] == "SAME_OBJECT"
    ann = _ann(server, "bob", image)
    link_body = {"annotationIdent": ann, "group": group["id"]}
    assert carol.post("/api/annotationlink.json", link_body).status_code == 403
    link = bob.post("/api/annotationlink.json", link_body)
    assert link.status_code == 200, link.text
    assert link.json()["annotationlink"]["image"] == image
    assert bob.post("/api/annotationlink.json", link_body).status_code == 409
    links = carol.get(f"/api/annotationgroup/{group['id']}/annotationlink.json").json()
    assert [x["annotationIdent"] for x in links["collection"]] == [ann]
    groups = carol.get(f"/api/project/{project}/annotationgroup.json").json()["collection"]
    assert group["id"] in [g["id"] for g in groups]
    one = f"/api/annotationgroup/{group['id']}/annotation/{ann}.json"
    assert carol.get(one).json()["group"] == group["id"]
    assert carol.delete(one).status_code == 403
    assert bob.delete(one).status_code == 200
    # an annotation on an image outside the image group cannot be linked
    assert bob.delete(member).status_code == 200
    assert bob.post("/api/annotationlink.json", link_body).status_code == 400
    assert bob.delete(f"/api/annotationgroup/{group['id']}.json").status_code == 200


def test_filters_actions_consultations_listings(
    server: Server, world: dict[str, int], outsider: Keys
) -> None:
    carol, bob, guest = server.client("carol"), server.client("bob"), server.client("guest")
    project, image = world["project"], world["image"]
    mine = carol.post(
        "/api/annotationfilter.json", {"name": "mine", "project": project, "users": [1, 2]}
    )
    assert mine.status_code == 200, mine.text
    flt = mine.json()["annotationfilter"]
    assert flt["users"] == [1, 2] and flt["user"] == server.users["carol"].id
    assert (
        guest.post("/api/annotationfilter.json", {"name": "g", "project": project}).status_code
        == 403
    )
    outside = server.client(outsider.username)
    assert (
        outside.post("/api/annotationfilter.json", {"name": "o", "project": project}).status_code
        == 403
    )
    assert bob.put(f"/api/annotationfilter/{flt['id']}.json", {"name": "x"}).status_code == 403
    ok = server.client("alice").put(f"/api/annotationfilter/{flt['id']}.json", {"name": "by admin"})
    assert ok.status_code == 200  # the project admin
    assert flt["id"] in [
        f["id"]
        for f in bob.get("/api/annotationfilter.json", params={"project": project}).json()[
            "collection"
        ]
    ]
    assert carol.delete(f"/api/annotationfilter/{flt['id']}.json").status_code == 200

    ann = _ann(server, "bob", image)
    act = carol.post("/api/annotation_action.json", {"annotationIdent": ann, "action": "select"})
    assert act.status_code == 200, act.text
    action = act.json()["annotation_action"]
    assert (action["user"], action["annotationCreator"], action["action"]) == (
        server.users["carol"].id,
        server.users["bob"].id,
        "select",
    )
    assert (
        outside.post(
            "/api/annotation_action.json", {"annotationIdent": ann, "action": "select"}
        ).status_code
        == 403
    )
    listed = bob.get(f"/api/imageinstance/{image}/annotation_action.json").json()["collection"]
    assert action["id"] in [a["id"] for a in listed]
    assert bob.get(f"/api/annotation_action/{action['id']}.json").json()["action"] == "select"
    assert outside.get(f"/api/imageinstance/{image}/annotation_action.json").status_code == 403

    assert carol.post(f"/api/imageinstance/{image}/consultation.json", {"mode": "view"}).ok
    mine_c = carol.get(
        f"/api/project/{project}/user/{server.users['carol'].id}/imageconsultation.json"
    ).json()["collection"]
    assert mine_c and mine_c[0]["image"] == image
    others = f"/api/project/{project}/user/{server.users['carol'].id}/imageconsultation.json"
    assert bob.get(others).status_code == 403
    assert server.client("alice").get(others).status_code == 200

    slice_pk = (
        server.client("alice")
        .get(f"/api/imageinstance/{image}/sliceinstance/reference.json")
        .json()["id"]
    )
    carol.post(f"/api/imageinstance/{image}/position.json", {"x": 10, "y": 20, "zoom": 3})
    pos = carol.get(f"/api/sliceinstance/{slice_pk}/positions.json").json()["collection"]
    assert pos and carol.get(f"/api/position/{pos[0]['id']}.json").status_code == 200
    assert outside.get(f"/api/sliceinstance/{slice_pk}/positions.json").status_code == 403

    a = server.client("alice")
    reviewed = a.get("/api/reviewedannotation.json", params={"project": project}).json()
    assert all(x["class"].endswith("ReviewedAnnotation") for x in reviewed["collection"])
    algo = a.get("/api/algoannotation.json", params={"project": project}).json()
    assert algo["collection"] == [] or all(
        x["class"].endswith("AlgoAnnotation") for x in algo["collection"]
    )
    assert a.get("/api/reviewedannotation.json").status_code == 400
    assert outside.get("/api/algoannotation.json", params={"project": project}).status_code == 403


def test_companion_rows_follow_their_image(server: Server, world: dict[str, Any]) -> None:
    """Deleting an image drops its tracks and links (foreign keys), never a 5xx."""
    a = server.client("alice")
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    uf = a.post(
        "/api/uploadedfile.json",
        {"originalFilename": "o", "filename": "f", "storage": storage},
    ).json()["uploadedfile"]
    ai = a.post(
        "/api/abstractimage.json",
        {"originalFilename": "o", "uploadedFile": uf["id"], "width": 100, "height": 100},
    ).json()["abstractimage"]
    a.post("/api/abstractslice.json", {"image": ai["id"]})
    inst = a.post("/api/imageinstance.json", {"baseImage": ai["id"], "project": world["project"]})
    iid = inst.json()["imageinstance"]["id"]
    track = a.post("/api/track.json", {"name": "t", "image": iid}).json()["track"]["id"]
    ann = _ann(server, "alice", iid)
    assert a.post(f"/api/annotationtrack/{ann}/{track}.json").status_code == 200
    assert a.delete(f"/api/imageinstance/{iid}.json").status_code == 200
    assert a.get(f"/api/track/{track}.json").status_code == 404
