"""The answer of a create-type op is lost (the server applied it, the proxy cuts the
connection): the retry must not duplicate anything.  Terms, descriptions, review
accept and reject (attached files: ``test_meta_sync``)."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.model.sync import OpState
from desktop_app.services import ontology_edit
from desktop_app.store import edits
from tests.sync.helpers import draw, local_ann, outbox, server_state, square
from tests.sync.test_terms_sync import onto_pk, server_terms

CLS = "be.cytomine.domain.ontology.UserAnnotation"
CUT = {
    "term": b"POST /api/term.json",
    "description": b"description.json",
    "reject": b"/api/sync/push.json",
    "accept": b"POST /api/annotation/",
}


@pytest.mark.parametrize("kind", list(CUT))
def test_create_answer_lost_is_not_doubled(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any, kind: str
) -> None:
    p, img, onto, (t1, _, _) = world["project"], world["image"], world["ontology"], world["terms"]
    a = devices["new"]("a", "alice")
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10), [t1])
    assert a.sync([p]).ok
    sid = local_ann(a.store, uid=ann.uid).server_id
    who = "carol" if kind in ("reject", "accept") else "alice"
    dev = devices["new"]("dev", who, proxy.base)
    assert dev.sync([p]).ok
    me = dev.me()
    if kind == "term":
        ontology_edit.create_term(dev.store, onto_pk(dev, onto), "fat", "#0000FF", user_pk=me)
    elif kind == "description":
        with dev.store.unit_of_work(user_pk=me) as uow:
            edits.set_description(uow, local_ann(dev.store, server_id=sid).pk, "<p>x</p>")
    else:
        with dev.store.unit_of_work(user_pk=me) as uow:
            parent = local_ann(dev.store, server_id=sid).pk
            edits.review(uow, parent, reviewer_pk=me, accept=kind == "accept")
    proxy.cut_on = CUT[kind]
    rep = dev.sync([p])
    assert rep.error_kind == "offline", rep
    assert OpState.NEEDS_RECONCILE in {op.state for op in outbox(dev.store)}
    proxy.heal()
    rep = dev.sync([p])
    assert rep.ok and rep.failed == 0 and rep.conflicts == 0, rep.reason()
    assert outbox(dev.store) == [] and dev.sync([p]).writes == 0
    alice = server.client("alice")
    if kind == "term":
        names = [
            x["name"] for x in alice.get(f"/api/ontology/{onto}/term.json").json()["collection"]
        ]
        assert names.count("fat") == 1 and "fat" in server_terms(server, onto)
    elif kind == "description":
        assert alice.get(f"/api/domain/{CLS}/{sid}/description.json").json()["data"] == "<p>x</p>"
    elif kind == "reject":
        props = alice.get(f"/api/domain/{CLS}/{sid}/property.json").json()["collection"]
        assert [x["key"] for x in props] == ["sync:review.rejected"]
    else:
        kinds = sorted(v[0] for v in server_state(server, p).values())
        assert kinds == ["reviewed", "user"]
        image = alice.get(f"/api/imageinstance/{img}.json").json()
        assert not image.get("inReview")  # the review session we opened was closed


def test_description_edit_answer_lost_then_edited_again(
    server: Any, world: dict[str, Any], devices: Any, proxy: Any
) -> None:
    """The first PUT landed but its answer was lost; the retry (stale base, 409 with my
    own text) is acknowledged, and the newer edit goes out: no false conflict."""
    p, img = world["project"], world["image"]
    a = devices["new"]("a", "alice", proxy.base)
    assert a.sync([p]).ok
    ann = draw(a, img, square(10, 10))
    with a.store.unit_of_work(user_pk=a.me()) as uow:
        edits.set_description(uow, ann.pk, "<p>v1</p>")
    assert a.sync([p]).ok
    with a.store.unit_of_work(user_pk=a.me()) as uow:
        edits.set_description(uow, ann.pk, "<p>v2</p>")
    proxy.cut_on = b"description.json"
    assert a.sync([p]).error_kind == "offline"
    proxy.heal()
    with a.store.unit_of_work(user_pk=a.me()) as uow:
        edits.set_description(uow, ann.pk, "<p>v3</p>")
    rep = a.sync([p])
    assert rep.ok and rep.conflicts == 0, rep.reason()
    sid = local_ann(a.store, uid=ann.uid).server_id
    url = f"/api/domain/{CLS}/{sid}/description.json"
    assert server.client("alice").get(url).json()["data"] == "<p>v3</p>"
    assert outbox(a.store) == [] and a.sync([p]).writes == 0
