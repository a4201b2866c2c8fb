"""Tags, tag associations, annotation groups and links made on the server (by another
user) reach the cache on sync, are not duplicated by a re-sync, and disappear after
they are deleted on the server.  Real server over HTTP, real SQLite cache."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from desktop_app.model.annotation_links import AnnotationGroup, AnnotationLink
from desktop_app.model.attachment import Tag, TagDomainAssociation
from desktop_app.services.companions import annotation_companions
from tests.sync.helpers import local_ann, outbox

CLS = "be.cytomine.domain.ontology.UserAnnotation"


def _count(dev: Any, model: Any) -> int:
    with dev.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _server_world(server: Any, world: dict[str, Any], suffix: str) -> dict[str, Any]:
    """Two annotations in one group, one of them tagged twice; all made by bob."""
    bob = server.client("bob")
    project, image = world["project"], world["image"]
    anns = []
    for x in (10, 100):
        body = {"image": image, "location": f"POINT ({x} {x})"}
        anns.append(bob.post("/api/annotation.json", body).json()["annotation"]["id"])
    tags = [
        bob.post("/api/tag.json", {"name": f"{n}-{suffix}"}).json()["tag"]["id"]
        for n in ("needs-review", "mitosis")
    ]
    path = f"/api/domain/{CLS}/{anns[0]}/tag_domain_association.json"
    tdas = [bob.post(path, {"tag": t}).json()["tagdomainassociation"]["id"] for t in tags]
    ig = bob.post("/api/imagegroup.json", {"name": "serial", "project": project}).json()
    ig_id = ig["imagegroup"]["id"]
    assert bob.post(f"/api/imagegroup/{ig_id}/imageinstance/{image}.json").ok
    body = {"project": project, "imageGroup": ig_id}
    group = bob.post("/api/annotationgroup.json", body).json()["annotationgroup"]["id"]
    for a in anns:
        r = bob.post("/api/annotationlink.json", {"annotationIdent": a, "group": group})
        assert r.status_code == 200, r.text
    return {"anns": anns, "tags": tags, "tdas": tdas, "group": group}


def test_tags_groups_links_pulled_without_duplicates_and_deleted(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    p = world["project"]
    made = _server_world(server, world, f"p{p}")
    a = devices["new"]("a", "alice")
    assert a.sync([p]).ok
    first = local_ann(a.store, server_id=made["anns"][0])
    second = local_ann(a.store, server_id=made["anns"][1])
    assert first is not None and second is not None
    with a.store.read() as s:
        info = annotation_companions(s, first.pk)
        other = annotation_companions(s, second.pk)
    assert sorted(info.tags) == sorted([f"needs-review-p{p}", f"mitosis-p{p}"])
    assert other.tags == []
    assert info.group_server_id == made["group"] and info.group_type == "SAME_OBJECT"
    assert info.members == [made["anns"][1]] and other.members == [made["anns"][0]]
    counts = {m: _count(a, m) for m in (Tag, TagDomainAssociation, AnnotationGroup, AnnotationLink)}
    assert counts[TagDomainAssociation] == 2 and counts[AnnotationGroup] == 1
    assert counts[AnnotationLink] == 2
    assert a.sync([p]).ok  # a re-sync duplicates nothing
    assert {m: _count(a, m) for m in counts} == counts
    bob = server.client("bob")
    # a tag renamed on the server, and a new tag taking its old name: no duplicate
    assert bob.put(f"/api/tag/{made['tags'][0]}.json", {"name": f"renamed-p{p}"}).ok
    assert bob.post("/api/tag.json", {"name": f"needs-review-p{p}"}).ok
    assert a.sync([p]).ok
    with a.store.read() as s:
        info = annotation_companions(s, first.pk)
        names = sorted(s.scalars(select(Tag.name).where(Tag.name.like(f"%-p{p}"))))
    assert sorted(info.tags) == sorted([f"renamed-p{p}", f"mitosis-p{p}"])
    assert names == sorted([f"renamed-p{p}", f"mitosis-p{p}", f"needs-review-p{p}"])
    assert bob.delete(f"/api/tag_domain_association/{made['tdas'][1]}.json").ok
    one = f"/api/annotationgroup/{made['group']}/annotation/{made['anns'][1]}.json"
    assert bob.delete(one).ok
    assert a.sync([p]).ok
    with a.store.read() as s:
        info = annotation_companions(s, first.pk)
        other = annotation_companions(s, second.pk)
    assert info.tags == [f"renamed-p{p}"]
    assert info.members == [] and other.group_server_id is None
    assert bob.delete(f"/api/tag/{made['tags'][0]}.json").ok
    assert bob.delete(f"/api/annotationgroup/{made['group']}.json").ok
    assert a.sync([p]).ok
    with a.store.read() as s:
        info = annotation_companions(s, first.pk)
    assert info.tags == [] and info.group_server_id is None
    assert _count(a, AnnotationGroup) == 0 and _count(a, AnnotationLink) == 0
    assert _count(a, TagDomainAssociation) == 0
    assert outbox(a.store) == []
