"""Local work reaching the server: slides opened locally, local projects, properties,
descriptions, review decisions, and a restored server.  Real server, real caches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.model.image import ImageInstance
from desktop_app.model.project import Project
from desktop_app.services.workspace import Workspace
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import SlideInfo
from desktop_app.store import edits
from tests.sync.helpers import cache_state, local_term, outbox, server_state, square


def register(dev: Any, path: Path, project_pk: int, info: SlideInfo | None = None) -> int:
    if info is None:
        with open_slide(path) as s:
            info = s.info
    return Workspace(dev.store).register_slide(path, info, project_pk=project_pk).pk


def project_pk(dev: Any, sid: int) -> int:
    with dev.store.read() as s:
        pk = s.scalar(select(Project.pk).where(Project.server_id == sid))
        assert pk is not None
        return int(pk)


def draw_on(dev: Any, image_pk: int, wkt: str, term_pks: list[int] = ()) -> int:  # type: ignore[assignment]
    me = dev.me()
    with dev.store.unit_of_work(user_pk=me, label="draw") as uow:
        return edits.create_annotation(
            uow, image_pk=image_pk, geometry=wkt, user_pk=me, term_pks=list(term_pks)
        ).pk


def image_sid(dev: Any, image_pk: int) -> int | None:
    with dev.store.read() as s:
        return s.get(ImageInstance, image_pk).server_id


def test_local_slide_uploaded_with_its_annotations(
    server: Any, slide: Path, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    from tests.sync.conftest import make_world

    other = make_world(server, slide, f"other-{tmp_path.name}")
    a = devices["new"]("a", "alice")
    assert a.sync([world["project"], other["project"]]).ok
    pk_w, pk_o = project_pk(a, world["project"]), project_pk(a, other["project"])
    good = register(a, slide, pk_w)
    bad_path = tmp_path / "notes.svs"
    bad_path.write_bytes(b"this is not a slide\n" * 500)
    info = SlideInfo(100, 100, ((100, 100),), (1.0,), None, None, None, None, ())
    bad = register(a, bad_path, pk_o, info)
    t1 = local_term(a.store, world["terms"][0])
    draw_on(a, good, square(100, 100), [t1])
    draw_on(a, good, square(300, 300))
    draw_on(a, bad, square(10, 10))
    ok_other = draw_on(a, local_image_of(a, other["image"]), square(50, 50))
    rep = a.sync([world["project"], other["project"]])
    assert rep.uploaded == 1 and len(rep.upload_errors) == 1, rep
    assert "notes.svs" in rep.upload_errors[0] and "upload failed" in rep.reason()
    assert not rep.ok and rep.failed == 1
    sid = image_sid(a, good)
    assert sid is not None and image_sid(a, bad) is None
    # the annotations on the uploaded slide went out in the same run
    state = server_state(server, world["project"])
    assert len(state) == 2 and state == cache_state(a.store, world["project"])
    listing = server.client("alice").get("/api/annotation.json", params={"image": sid}).json()
    assert len(listing["collection"]) == 2
    # the refused slide blocked nothing else: the other project's annotation is on the server
    with a.store.read() as s:
        from desktop_app.model.annotation import Annotation

        assert s.get(Annotation, ok_other).server_id is not None
    left = outbox(a.store)
    assert len(left) == 1 and left[0].entity_type == "annotation"  # waits for its image
    fails = [c for c in a.engine.list_conflicts() if c.entity_type == "image"]
    assert len(fails) == 1 and fails[0].entity_pk == bad and "notes.svs" in fails[0].message
    # a re-run does not re-send the refused file; retry is the user's choice
    rep2 = a.sync([world["project"], other["project"]])
    assert rep2.uploaded == 0 and rep2.upload_errors == [] and rep2.failed == 1
    a.engine.resolve(fails[0].pk, "mine")
    rep3 = a.sync([world["project"], other["project"]])
    assert len(rep3.upload_errors) == 1  # refused again, recorded again
    assert len([c for c in a.engine.list_conflicts() if c.entity_type == "image"]) == 1


def local_image_of(dev: Any, sid: int) -> int:
    from tests.sync.helpers import local_image

    return local_image(dev.store, sid)


def test_upload_offline_stops_and_resumes(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any, tmp_path: Path
) -> None:
    from desktop_app.slide.synth import write_slide

    a = devices["new"]("a", "alice", base=proxy.base)
    assert a.sync([world["project"]]).ok
    path = write_slide(tmp_path / "fresh-upload.svs", 600, 400, seed=5)
    good = register(a, path, project_pk(a, world["project"]))
    draw_on(a, good, square(100, 100))
    proxy.drop_on = b"POST /upload"
    rep = a.sync([world["project"]])
    proxy.heal()
    assert rep.error_kind == "offline", rep
    assert image_sid(a, good) is None and len(outbox(a.store)) == 1
    rep = a.sync([world["project"]])
    assert rep.ok, rep.reason()
    assert rep.uploaded == 1 and image_sid(a, good) is not None
    assert len(server_state(server, world["project"])) == 1


def test_local_project_created_on_server(server: Any, devices: Any, tmp_path: Path) -> None:
    from desktop_app.services.ontology import TermSpec, create_ontology
    from desktop_app.slide.synth import write_slide
    from desktop_app.sync.push.publish import ProjectRefError, resolve_refs

    a = devices["new"]("a", "alice")
    me = a.me()
    tag = tmp_path.name[-12:]
    onto = create_ontology(
        a.store,
        f"local-onto-{tag}",
        [TermSpec("tissue", "#00FF00"), TermSpec("tumour", "#FF0000", parent="tissue")],
        me,
    )
    ws = Workspace(a.store)
    project = ws.local_project(f"Local slides {tag}", ontology_pk=onto)
    path = write_slide(tmp_path / f"local-{tag}.svs", 600, 400, seed=3)
    image = register(a, path, project.pk)
    with a.store.read() as s:
        from desktop_app.model.ontology import Term

        terms = {t.name: t.pk for t in s.scalars(select(Term).where(Term.ontology_pk == onto))}
    draw_on(a, image, square(100, 100), [terms["tumour"]])
    draw_on(a, image, square(200, 50), [terms["tissue"], terms["tumour"]])
    assert resolve_refs(a.store, [f"local:{project.pk}"]) == ([], [project.pk])
    assert resolve_refs(a.store, [project.name, "7"]) == ([7], [project.pk])
    try:
        resolve_refs(a.store, ["no such project"])
        raise AssertionError("expected ProjectRefError")
    except ProjectRefError:
        pass
    rep = a.engine.run([], local_projects=[project.pk])
    assert rep.ok, rep.reason()
    assert rep.uploaded == 1 and rep.pushed == 5, rep  # 2 annotations + 3 term links
    with a.store.read() as s:
        from desktop_app.model.ontology import Ontology, RelationTerm

        p = s.get(Project, project.pk)
        o = s.get(Ontology, onto)
        assert p.server_id is not None and o.server_id is not None
        assert all(t.server_id for t in s.scalars(select(Term).where(Term.ontology_pk == onto)))
        rels = [(r.term1_pk, r.term2_pk) for r in s.scalars(select(RelationTerm))]
        assert rels == [(terms["tissue"], terms["tumour"])]  # the pull re-reads parents
        sid = int(p.server_id)
    alice = server.client("alice")
    sp = alice.get(f"/api/project/{sid}.json").json()
    assert sp["ontology"] == o.server_id
    sterms = {
        t["name"]: t
        for t in alice.get(f"/api/ontology/{o.server_id}/term.json").json()["collection"]
    }
    assert set(sterms) == {"tissue", "tumour"}
    rel = alice.get(
        f"/api/relation/parent/term1/{sterms['tissue']['id']}/term2/{sterms['tumour']['id']}.json"
    )
    assert rel.ok, rel.text
    state = server_state(server, sid, height=400)
    assert len(state) == 2 and state == cache_state(a.store, sid)
    assert outbox(a.store) == []
    again = a.engine.run([sid])
    assert again.ok and again.writes == 0, again
    assert resolve_refs(a.store, [f"local:{project.pk}"]) == ([sid], [])


def test_sync_help_documents_local_projects() -> None:
    import subprocess

    from tests.server.harness import ROOT, cli_command

    out = subprocess.run(
        [*cli_command(), "sync", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "local:<pk>" in out and "--push-local" in out


def test_properties_and_descriptions_pushed(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    from desktop_app.model.attachment import Description, Property
    from tests.sync.helpers import draw

    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice")
    assert a.sync([p]).ok
    ann = draw(a, img, square(100, 100))
    with a.store.unit_of_work(user_pk=a.me(), label="meta") as uow:
        edits.set_property(uow, ann.pk, "grade", "2")
        edits.set_property(uow, ann.pk, "note", "check")
        edits.set_property(uow, ann.pk, "temp", "x")
        edits.delete_property(uow, ann.pk, "temp")  # never sent
        edits.set_description(uow, ann.pk, "<p>first</p>")
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    alice = server.client("alice")
    with a.store.read() as s:
        sid = s.get(type(ann), ann.pk).server_id
    cls = "be.cytomine.domain.ontology.UserAnnotation"
    props = alice.get(f"/api/domain/{cls}/{sid}/property.json").json()["collection"]
    assert {x["key"]: x["value"] for x in props} == {"grade": "2", "note": "check"}
    desc = alice.get(f"/api/domain/{cls}/{sid}/description.json").json()
    assert desc["data"] == "<p>first</p>"
    with a.store.unit_of_work(user_pk=a.me(), label="meta") as uow:
        edits.set_property(uow, ann.pk, "grade", "3")
        edits.delete_property(uow, ann.pk, "note")
        edits.set_description(uow, ann.pk, "<p>second</p>")
    rep = a.sync([p])
    assert rep.ok and rep.failed == 0, rep.reason()
    props = alice.get(f"/api/domain/{cls}/{sid}/property.json").json()["collection"]
    assert {x["key"]: x["value"] for x in props} == {"grade": "3"}
    assert alice.get(f"/api/domain/{cls}/{sid}/description.json").json()["data"] == "<p>second</p>"
    assert outbox(a.store) == []
    with a.store.read() as s:
        assert [x.key for x in s.scalars(select(Property))] == ["grade"]
        assert all(d.server_id for d in s.scalars(select(Description)))
    assert a.sync([p]).writes == 0
    # pulled back: bob sees alice's property; bob's change and deletion come back to alice
    b = devices["new"]("b", "bob")
    assert b.sync([p]).ok
    with b.store.read() as s:
        assert [(x.key, x.value) for x in s.scalars(select(Property))] == [("grade", "3")]
    bob = server.client("bob")
    r = bob.post(
        "/api/property.json",
        {"domainClassName": cls, "domainIdent": sid, "key": "by-bob", "value": "1"},
    )
    assert r.ok, r.text
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    with a.store.read() as s:
        assert {x.key: x.value for x in s.scalars(select(Property))} == {
            "grade": "3",
            "by-bob": "1",
        }
    pid = r.json()["property"]["id"]
    assert bob.delete(f"/api/domain/{cls}/{sid}/property/{pid}.json").ok
    assert a.sync([p]).ok
    with a.store.read() as s:
        assert [x.key for x in s.scalars(select(Property))] == ["grade"]


def _snapshot(db: Path, dest: Path) -> None:
    import sqlite3

    src, out = sqlite3.connect(db), sqlite3.connect(dest)
    with out:
        src.backup(out)
    src.close()
    out.close()


def test_server_restored_from_backup(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    from tests.sync.helpers import assert_converged, draw, local_ann, settle

    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    db = Path(server.database_url.removeprefix("sqlite:///"))
    a = devices["new"]("a", "alice")
    assert a.sync([p]).ok
    _snapshot(db, tmp_path / "backup.sqlite")
    made = [draw(a, img, square(100 + 60 * i, 100), [t1]) for i in range(3)]
    rep = a.sync([p])
    assert rep.ok and rep.pushed == 6, rep
    assert a.sync([p]).writes == 0  # the identity is stable across normal syncs
    server.kill()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    _snapshot(tmp_path / "backup.sqlite", db)
    server.start()
    bob = server.client("bob")  # the restored server moves on (and may reuse ids)
    r = bob.post("/api/annotation.json", {"image": img, "location": "POINT (10 10)"})
    assert r.ok, r.text
    rep = a.sync([p])
    assert rep.error is None and rep.conflicts == 1, rep
    issues = [c for c in a.engine.list_conflicts() if c.kind == "server_restore"]
    assert len(issues) == 1 and "lost 3 of your synced changes" in issues[0].message
    for ann in made:  # never deleted locally, no longer claiming a server id
        row = local_ann(a.store, uid=ann.uid)
        assert row is not None and row.server_id is None
    assert len(server_state(server, p)) == 1  # bob's point
    a.engine.resolve(issues[0].pk, "mine")
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    b = devices["new"]("b", "bob")
    settle([a, b], p)
    state = assert_converged(server, [a, b], p, tmp_path)
    assert len(state) == 4


def test_unreview_pushed(server: Any, world: dict[str, Any], devices: Any) -> None:
    from desktop_app.model.annotation import Annotation, AnnotationKind
    from tests.sync.helpers import draw, local_ann

    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a, c = devices["new"]("a", "alice"), devices["new"]("c", "carol")
    assert a.sync([p]).ok
    first = draw(a, img, square(10, 10), [t1])
    second = draw(a, img, square(300, 10), [t1])
    assert a.sync([p]).ok and c.sync([p]).ok

    def review(uid: str) -> int:
        with c.store.unit_of_work(user_pk=c.me()) as uow:
            parent = local_ann(c.store, server_id=local_ann(a.store, uid=uid).server_id)
            return edits.review(uow, parent.pk, reviewer_pk=c.me(), accept=True).pk

    r1 = review(first.uid)
    assert c.sync([p]).ok
    kinds = sorted(v[0] for v in server_state(server, p).values())
    assert kinds == ["reviewed", "user", "user"]
    r2 = review(second.uid)
    with c.store.unit_of_work(user_pk=c.me()) as uow:  # un-review both: one synced, one not
        edits.delete_annotations(uow, [r1, r2])
    rep = c.sync([p])
    assert rep.ok and rep.failed == 0, rep.reason()
    assert sorted(v[0] for v in server_state(server, p).values()) == ["user", "user"]
    with c.store.read() as s:
        n = s.scalars(select(Annotation).where(Annotation.kind == AnnotationKind.REVIEWED)).all()
        assert n == []
    assert outbox(c.store) == []


def test_review_reject_pushed_as_parent_property(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    import json

    from desktop_app.model.attachment import Property
    from tests.sync.helpers import draw, local_ann

    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a, c = devices["new"]("a", "alice"), devices["new"]("c", "carol")
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10), [t1])
    assert a.sync([p]).ok and c.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    with c.store.unit_of_work(user_pk=c.me()) as uow:
        edits.review(uow, local_ann(c.store, server_id=sid).pk, reviewer_pk=c.me(), accept=False)
    rep = c.sync([p])
    assert rep.ok and rep.failed == 0 and rep.pushed == 1, rep.reason()
    assert outbox(c.store) == []
    cls = "be.cytomine.domain.ontology.UserAnnotation"
    props = server.client("alice").get(f"/api/domain/{cls}/{sid}/property.json").json()
    (prop,) = props["collection"]
    assert prop["key"] == "sync:review.rejected"
    assert json.loads(prop["value"]) == {"reviewUser": server.users["carol"].id, "terms": [t1]}
    assert [v[0] for v in server_state(server, p).values()] == ["user"]  # no review row
    assert c.sync([p]).writes == 0
    assert a.sync([p]).ok  # the author sees the rejection as a property of the annotation
    with a.store.read() as s:
        assert [x.key for x in s.scalars(select(Property))] == ["sync:review.rejected"]
