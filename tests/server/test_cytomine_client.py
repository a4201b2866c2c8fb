"""The acceptance test: the official cytomine-python-client against our server."""

from __future__ import annotations

from pathlib import Path

import pytest
from cytomine import Cytomine
from cytomine.models import (
    Annotation,
    AnnotationCollection,
    AnnotationTerm,
    ImageInstanceCollection,
    Ontology,
    Project,
    ProjectCollection,
    Property,
    PropertyCollection,
    Term,
    TermCollection,
)
from cytomine.models.ontology import RelationTerm

from tests.server.harness import Server


@pytest.fixture(scope="module")
def cyto(server: Server) -> Cytomine:
    k = server.users["alice"]
    c = Cytomine(server.base, k.publicKey, k.privateKey)
    c._start()
    yield c
    c._session.close()


def test_current_user(cyto: Cytomine, server: Server) -> None:
    assert cyto.current_user is not False
    assert cyto.current_user.username == "alice"


def test_project_ontology_terms(cyto: Cytomine) -> None:
    onto = Ontology("client-onto").save()
    assert onto and onto.id
    parent = Term("parent", onto.id, "#FF0000").save()
    child = Term("child", onto.id, "#00FF00").save()
    assert parent.id and child.id
    assert RelationTerm(parent.id, child.id).save()
    fetched = Ontology().fetch(onto.id)
    assert fetched.name == "client-onto"
    assert [c["name"] for c in fetched.children] == ["parent"]
    assert fetched.children[0]["children"][0]["name"] == "child"
    assert Term().fetch(child.id).parent == parent.id
    project = Project("client-project", onto.id).save()
    assert project and project.id
    assert project.id in [p.id for p in ProjectCollection().fetch()]
    terms = TermCollection().fetch_with_filter("project", project.id)
    assert {t.name for t in terms} == {"parent", "child"}
    project.name = "renamed"
    assert project.update().name == "renamed"


def test_upload_annotations_terms_properties_review(
    cyto: Cytomine, server: Server, slide_path: Path
) -> None:
    onto = Ontology("review-onto").save()
    term = Term("lesion", onto.id, "#0000FF").save()
    project = Project("review-project", onto.id).save()
    storage = server.client("alice").get("/api/storage.json").json()["collection"][0]["id"]
    uf = cyto.upload_image(str(slide_path), storage, project.id)
    assert uf, "upload failed"
    images = ImageInstanceCollection().fetch_with_filter("project", project.id)
    assert len(images) == 1
    image = images[0]
    assert (image.width, image.height) == (1200, 900)

    # single create, y-up WKT round trip
    wkt = "POLYGON ((10 10, 200 10, 200 200, 10 200, 10 10))"
    a = Annotation(wkt, image.id, [term.id]).save()
    assert a and a.id and a.term == [term.id]
    got = Annotation().fetch(a.id)
    assert got.location == wkt

    # bulk create
    coll = AnnotationCollection()
    for i in range(5):
        coll.append(Annotation(f"POINT ({50 + i} {60 + i})", image.id))
    assert coll.save()
    listed = AnnotationCollection(image=image.id, showWKT=True, showTerm=True).fetch()
    assert len(listed) == 6
    assert any(x.location == "POINT (50 60)" for x in listed)

    # annotation terms
    term2 = Term("other", onto.id, "#00FFFF").save()
    assert AnnotationTerm(a.id, term2.id).save()
    assert set(Annotation().fetch(a.id).term) == {term.id, term2.id}

    # properties
    prop = Property(a, key="score", value="0.9").save()
    assert prop and prop.id
    props = PropertyCollection(a).fetch()
    assert [(p.key, p.value) for p in props] == [("score", "0.9")]
    p_proj = Property(project, key="k", value="v").save()
    assert p_proj and Property(project).fetch(key="k").value == "v"

    # review
    r = server.client("alice").post(f"/api/imageinstance/{image.id}/review.json")
    assert r.status_code == 200 and r.json()["imageinstance"]["inReview"] is True
    result = Annotation().fetch(a.id).review([term.id])
    assert result and result["reviewedannotation"]["parentIdent"] == a.id
    again = server.client("alice").post(f"/api/annotation/{a.id}/review.json", {"terms": []})
    assert again.status_code == 409
    reviewed = AnnotationCollection(image=image.id, reviewed=True, showWKT=True).fetch()
    assert [x.location for x in reviewed] == [wkt]

    # edit and delete through the client
    got.location = "POLYGON ((20 20, 220 20, 220 220, 20 220, 20 20))"
    assert got.update()
    assert Annotation().fetch(a.id).location.startswith("POLYGON ((20 20")
    assert Annotation().delete(listed[0].id)
