"""Rights matrix: EVERY write route of the live app, as a guest and as a read-only member.

The route table comes from the server's own /openapi.json, so a new write endpoint is
covered (or fails here) without anyone remembering to add it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from tests.server.harness import Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"
PROJECT_CLS = "be.cytomine.domain.project.Project"
#: Routes any non-guest may use to create their OWN top-level objects.
OWN_CREATES = {
    ("POST", "/api/project.json"),
    ("POST", "/api/ontology.json"),
    ("POST", "/api/storage.json"),
    ("POST", "/upload"),
    ("POST", "/api/groups"),
    ("POST", "/api/projects"),
    ("POST", "/api/collections"),
    # Rows in the caller's own storage (checked per storage in test_cytomine_storage.py).
    ("POST", "/api/uploadedfile.json"),
    ("POST", "/api/abstractimage.json"),
    ("POST", "/api/abstractslice.json"),
    # Global tags any non-guest may create; a reader's own saved listing filter.
    ("POST", "/api/tag.json"),
    ("POST", "/api/annotationfilter.json"),
}
#: A reader records their OWN activity (where they looked, when they connected), as in
#: Cytomine: these are not project data.  Checked separately below.
OWN_ACTIVITY = {
    ("POST", "/api/imageinstance/{image_id}/position.json"),
    ("POST", "/api/project/{project_id}/userconnection.json"),
    ("POST", "/api/annotation_action.json"),
    ("POST", "/api/imageinstance/{pk}/consultation.json"),
    # Every account renews its own SciTran API key.
    ("POST", "/api/users/self/key"),
}
#: Answers 200 with a per-op status (checked separately below).
BATCH = {("POST", "/api/sync/push.json")}


def write_routes(base: str) -> list[tuple[str, str]]:
    spec = requests.get(base + "/openapi.json", timeout=30).json()
    out = []
    for path, item in spec["paths"].items():
        for method in item:
            if method.upper() in ("POST", "PUT", "DELETE") and (
                path.startswith("/api/") or path == "/upload"
            ):
                out.append((method.upper(), path))
    return sorted(out)


@pytest.fixture(scope="module")
def targets(server: Server, world: dict[str, int]) -> dict[str, Any]:
    a = server.client("alice")
    p, img = world["project"], world["image"]
    ann = a.post(
        "/api/annotation.json", {"image": img, "location": SQUARE, "term": [world["term1"]]}
    ).json()["annotation"]
    prop = a.post(f"/api/project/{p}/property.json", {"key": "k", "value": "v"}).json()["property"]
    a.post(f"/api/domain/{PROJECT_CLS}/{p}/description.json", {"data": "d"})
    af = a.post(
        "/api/attachedfile.json",
        params={"domainIdent": p, "domainClassName": PROJECT_CLS},
        files={"files[]": ("a.txt", b"hello")},
    ).json()["attachedfile"]
    a.post("/api/relation/parent/term.json", {"term1": world["term1"], "term2": world["term2"]})
    a.post(f"/api/imageinstance/{img}/review.json")
    rev = a.post(f"/api/annotation/{ann['id']}/review.json", {"terms": []}).json()
    decision = {"annotation": ann["id"], "decision": "accepted"}
    dec = a.post("/api/reviewdecision.json", decision).json()["reviewdecision"]
    return {
        **world,
        **scitran_targets(a, p),
        **processing_targets(server, a, p, img),
        **companion_targets(a, p, img, ann["id"]),
        **storage_targets(a, img),
        "annotation": ann["id"],
        "property": prop["id"],
        "attachedfile": af["id"],
        "reviewed": rev["reviewedannotation"]["id"],
        "reviewdecision": dec["id"],
        "alice": server.users["alice"].id,
        "bob": server.users["bob"].id,
        # SciTran names users by login (``/api/users/{uid}``, ``…/permissions/{uid}``)
        "alice_login": server.users["alice"].username,
    }


def scitran_targets(a: Any, project: int) -> dict[str, Any]:
    """One container of each SciTran kind in the world project (and a group, a collection)."""
    group = a.post("/api/groups", {"label": "rights group"}).json()["_id"]
    session = a.post("/api/sessions", {"project": str(project), "label": "s"}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": session, "label": "a"}).json()["_id"]
    collection = a.post("/api/collections", {"label": "c"}).json()["_id"]
    parents = {"sessions": session, "acquisitions": acq, "collections": collection}
    parents["projects"] = str(project)
    analyses = {  # routes that reach an analysis through its parent need one of each
        f"analysis of {kind}": a.post(
            "/api/analyses", {"parent": {"type": kind[:-1], "id": cid}, "label": "an"}
        ).json()["_id"]
        for kind, cid in parents.items()
    }
    return {
        "groups": group,
        "sessions": session,
        "acquisitions": acq,
        "analyses": analyses["analysis of sessions"],
        "collections": collection,
        "projects": project,
        **analyses,
    }


def processing_targets(server: Server, a: Any, project: int, image: int) -> dict[str, Any]:
    """A software (with a parameter, linked to the project), a job, a template, image groups."""
    root = server.client("root")
    sw = root.post("/api/software.json", {"name": f"rights-{server.backend}"}).json()["software"]
    sp = root.post("/api/softwareparameter.json", {"software": sw["id"], "name": "p"}).json()
    link = a.post("/api/softwareproject.json", {"software": sw["id"], "project": project}).json()
    job = a.post("/api/job.json", {"software": sw["id"], "project": project}).json()["job"]
    jp = a.post(
        "/api/jobparameter.json",
        {"job": job["id"], "softwareParameter": sp["softwareparameter"]["id"], "value": "1"},
    ).json()
    tpl = a.post("/api/jobtemplate.json", {"name": "t", "software": sw["id"], "project": project})
    group = a.post("/api/imagegroup.json", {"name": "g", "project": project}).json()
    seq = a.post(
        "/api/imagesequence.json", {"imageGroup": group["imagegroup"]["id"], "image": image}
    )
    return {
        "software": sw["id"],
        "softwareparameter": sp["softwareparameter"]["id"],
        "softwareproject": link["softwareproject"]["id"],
        "job": job["id"],
        "jobparameter": jp["jobparameter"]["id"],
        "jobtemplate": tpl.json()["jobtemplate"]["id"],
        "imagegroup": group["imagegroup"]["id"],
        "imagesequence": seq.json()["imagesequence"]["id"],
    }


def companion_targets(a: Any, project: int, image: int, annotation: int) -> dict[str, Any]:
    """A tag (on the project), a track (with the annotation), an image group with the
    image, an annotation group (with the annotation) and a saved filter."""
    tag = a.post("/api/tag.json", {"name": "rights-tag"}).json()["tag"]["id"]
    tda = a.post(
        f"/api/domain/{PROJECT_CLS}/{project}/tag_domain_association.json", {"tag": tag}
    ).json()["tagdomainassociation"]["id"]
    track = a.post("/api/track.json", {"name": "t", "image": image}).json()["track"]["id"]
    assert a.post(f"/api/annotationtrack/{annotation}/{track}.json").status_code == 200
    ig = a.post("/api/imagegroup.json", {"name": "ig", "project": project}).json()
    ig_id = ig["imagegroup"]["id"]
    assert a.post(f"/api/imagegroup/{ig_id}/imageinstance/{image}.json").status_code == 200
    group = a.post("/api/annotationgroup.json", {"project": project, "imageGroup": ig_id})
    group_id = group.json()["annotationgroup"]["id"]
    link = {"annotationIdent": annotation, "group": group_id}
    assert a.post("/api/annotationlink.json", link).status_code == 200
    flt = a.post("/api/annotationfilter.json", {"name": "f", "project": project}).json()
    return {
        "tag": tag,
        "tag_domain_association": tda,
        "track": track,
        "image_group": ig_id,
        "annotation_group": group_id,
        "annotationgroup": group_id,
        "annotationfilter": flt["annotationfilter"]["id"],
    }


def storage_targets(a: Any, image: int) -> dict[str, Any]:
    """The world image's abstract image, first slice and uploaded file, and alice's storage."""
    abstract = a.get(f"/api/imageinstance/{image}.json").json()["baseImage"]
    uploaded = a.get(f"/api/abstractimage/{abstract}.json").json()["uploadedFile"]
    slices = a.get(f"/api/abstractimage/{abstract}/abstractslice.json").json()["collection"]
    assert uploaded and slices, "the world image must come from an upload"
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    return {
        "abstractimage": abstract,
        "abstractslice": slices[0]["id"],
        "uploadedfile": uploaded,
        "storage": storage,
    }


def fill(path: str, t: dict[str, Any]) -> str:
    def value(m: re.Match[str]) -> str:
        name, before = m.group(1), path[: m.start()].rstrip("/").rsplit("/", 1)[-1]
        by_name = {
            "cls": PROJECT_CLS,
            "relation": "parent",
            "t1": t["term1"],
            "t2": t["term2"],
            "term": t["term1"],
            "user_id": t["bob"],
            "user": t["bob"],
            "pid": t["property"],
            "project_id": t["project"],
            "zoom": 0,
            "tx": 0,
            "ty": 0,
            "fmt": "png",
            "uid": t["alice_login"],
            "annotation": t["annotation"],
            "track": t.get("track"),
            "image": t["image"],
            "image_group": t.get("image_group"),
            "annotation_group": t.get("annotation_group"),
        }
        if name in by_name:
            return str(by_name[name])
        if before == "analyses":  # …/{parent kind}/{cid}/analyses/{aid}
            parent = path[: m.start()].rstrip("/").split("/")[-3]
            if f"analysis of {parent}" in t:
                return str(t[f"analysis of {parent}"])
        by_kind = {
            "project": t["project"],
            "annotation": t["annotation"],
            "userannotation": t["annotation"],
            "algoannotation": t["annotation"],
            "imageinstance": t["image"],
            "ontology": t["ontology"],
            "term": t["term1"],
            "reviewedannotation": t["reviewed"],
            "reviewdecision": t["reviewdecision"],
            "attachedfile": t["attachedfile"],
            "user": t["alice"],
            "users": t["alice_login"],
            "domain": t["project"],
        }
        for kind in (
            "groups",
            "projects",
            "sessions",
            "acquisitions",
            "analyses",
            "collections",
            "software",
            "softwareparameter",
            "softwareproject",
            "job",
            "jobparameter",
            "jobtemplate",
            "imagegroup",
            "imagesequence",
            "tag",
            "tag_domain_association",
            "track",
            "annotationgroup",
            "annotationfilter",
            "abstractimage",
            "abstractslice",
            "uploadedfile",
            "storage",
        ):
            by_kind[kind] = t.get(kind, t["project"])
        if before in by_kind:
            return str(by_kind[before])
        return str(t["project"])

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def body_for(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "x",
        "location": SQUARE,
        "image": t["image"],
        "project": t["project"],
        "ontology": t["ontology"],
        "term1": t["term1"],
        "term2": t["term2"],
        "key": "k",
        "value": "v",
        "data": "d",
        "domainIdent": t["project"],
        "domainClassName": PROJECT_CLS,
        "baseImage": 1,
        "color": "#000000",
        "terms": [],
        "username": "zz",
        "ops": [],
        "session": str(t.get("sessions", "")),
        "parent": {"type": "project", "id": str(t["project"])},
        "label": "x",
        "text": "t",
        "access": "rw",
        "_id": str(t["alice"]),
        "software": t.get("software"),
        "job": t.get("job"),
        "softwareParameter": t.get("softwareparameter"),
        "imageGroup": t.get("imagegroup"),
        "annotationIdent": t["annotation"],
        "annotation": t["annotation"],
        "decision": "accepted",
        "group": t.get("annotation_group"),
        "track": t.get("track"),
        "tag": t.get("tag"),
        "zoom": 1,
        "x": 10,
        "y": 10,
    }


def _call(server: Server, who: str, method: str, path: str, t: dict[str, Any]) -> requests.Response:
    c = server.client(who)
    url = fill(path, t)
    if path in ("/upload", "/api/attachedfile.json"):
        params = {
            "projects": t["project"],
            "storage": t["storage"],
            "domainIdent": t["project"],
            "domainClassName": PROJECT_CLS,
        }
        return c.request(method, url, params=params, files={"files[]": ("x.txt", b"x")})
    return c.request(method, url, scitran_create_body(method, path, t) or body_for(t))


def scitran_create_body(method: str, path: str, t: dict[str, Any]) -> dict[str, Any] | None:
    """A body SciTran's input schema accepts, for the creates whose parent is in the
    body: SciTran reads (and validates) the body before it knows whose rights to check,
    so the catch-all body would be refused as malformed before the rights are asked."""
    if method != "POST":
        return None
    if path == "/api/sessions":
        return {"project": str(t["project"]), "label": "x"}
    if path == "/api/acquisitions":
        return {"session": str(t["sessions"]), "label": "x"}
    if path == "/api/analyses":
        return {"parent": {"type": "session", "id": str(t["sessions"])}, "label": "x"}
    if path.endswith("/analyses"):
        return {"label": "x"}
    return None


@pytest.mark.parametrize("who", ["guest", "carol"])
def test_every_write_route_refuses_readers(
    server: Server, targets: dict[str, Any], who: str
) -> None:
    routes = write_routes(server.base)
    assert len(routes) > 40
    failures = []
    for method, path in routes:
        if (method, path) in BATCH | OWN_ACTIVITY or (
            who == "carol" and (method, path) in OWN_CREATES
        ):
            continue
        r = _call(server, who, method, path, targets)
        ok = r.status_code == 403 and r.headers.get("content-type", "").startswith(
            "application/json"
        )
        if not ok or r.json().get("success") is not False:
            failures.append(f"{method} {path}: {r.status_code} {r.text[:120]}")
    assert not failures, "\n".join(failures)


def test_push_ops_refused_for_readers(server: Server, targets: dict[str, Any]) -> None:
    op = {"opId": "x", "entity": "annotation", "action": "delete", "id": targets["annotation"]}
    for who in ("guest", "carol"):
        res = server.client(who).post("/api/sync/push.json", {"ops": [op]}).json()["results"]
        assert res[0]["status"] == 403


def test_non_member_does_not_see_project(server: Server, targets: dict[str, Any]) -> None:
    c = server.client("admin")  # sanity: admins see it
    assert c.get(f"/api/project/{targets['project']}.json").status_code == 200
    root = server.client("root")
    stranger = root.post("/api/user.json", {"username": f"stranger-{server.backend}"}).json()
    assert stranger["user"]["id"]
    # a user who is no member: absent from listings, 403 on direct access
    lst = server.client("bob").get("/api/project.json").json()["collection"]
    assert targets["project"] in [p["id"] for p in lst]  # bob is a member
    r = server.client("guest").get("/api/project.json").json()["collection"]
    assert targets["project"] in [p["id"] for p in r]


def test_unsigned_and_badly_signed_requests_are_401(server: Server) -> None:
    r = requests.get(server.base + "/api/project.json", timeout=10)
    assert r.status_code == 401 and r.json()["success"] is False
    c = server.client("alice")
    bad = c.get("/api/project.json", headers={"authorization": "CYTOMINE nope:bad"})
    assert bad.status_code in (200, 401)  # the client re-signs; check a raw forged header:
    r = requests.get(
        server.base + "/api/project.json",
        timeout=10,
        headers={
            "date": "Mon, 01 Jan 2024 12:00:00 +0000",
            "authorization": "CYTOMINE "
            + f"{server.users['alice'].publicKey}:AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        },
    )
    assert r.status_code == 401
    assert "AAAAAAA" not in r.text
    legacy = server.client("alice", layout="legacy").get("/api/project.json", params={"max": 1})
    assert legacy.status_code == 200


@pytest.mark.parametrize("who", ["guest", "carol"])
def test_readers_record_their_own_activity(
    server: Server, targets: dict[str, Any], who: str
) -> None:
    c = server.client(who)
    image, project = targets["image"], targets["project"]
    r = c.post(f"/api/imageinstance/{image}/position.json", {"x": 10, "y": 20, "zoom": 3})
    assert r.status_code == 200, r.text
    r = c.post(f"/api/project/{project}/userconnection.json", {"os": "Linux"})
    assert r.status_code == 200, r.text
