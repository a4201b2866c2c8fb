"""Term edits of an ontology already on the server: pushed, pulled by another client,
and the policy for a term deleted while annotations use it.  Real server, real caches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.model.annotation import AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.model.ontology import Ontology, Term
from desktop_app.services import ontology_edit
from tests.sync.helpers import (
    assert_converged,
    cache_state,
    draw,
    local_ann,
    local_term,
    outbox,
    server_state,
    settle,
    square,
)


def server_terms(server: Any, onto: int) -> dict[str, tuple[str, int | None]]:
    rows = server.client("alice").get(f"/api/ontology/{onto}/term.json").json()["collection"]
    return {t["name"]: (t["color"].upper(), t.get("parent")) for t in rows}


def cache_terms(dev: Any, onto: int) -> dict[str, str]:
    with dev.store.read() as s:
        onto_pk = s.scalar(select(Ontology.pk).where(Ontology.server_id == onto))
        rows = s.scalars(
            select(Term).where(Term.ontology_pk == onto_pk, Term.local_deleted.is_(False))
        )
        return {t.name: t.color.upper() for t in rows}


def onto_pk(dev: Any, onto: int) -> int:
    with dev.store.read() as s:
        pk = s.scalar(select(Ontology.pk).where(Ontology.server_id == onto))
        assert pk is not None
        return int(pk)


def test_term_rename_recolour_create_delete_reach_the_other_client(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    p, onto, (t1, t2, t3) = world["project"], world["ontology"], world["terms"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok and b.sync([p]).ok
    me = a.me()
    ontology_edit.rename_term(a.store, local_term(a.store, t1), "tumour", user_pk=me)
    ontology_edit.recolor_term(a.store, local_term(a.store, t2), "#00FF00", user_pk=me)
    ontology_edit.rename_term(a.store, local_term(a.store, t2), "stroma2", user_pk=me)
    new = ontology_edit.create_term(
        a.store, onto_pk(a, onto), "fat", "#0000FF", user_pk=me, parent_pk=local_term(a.store, t1)
    )
    ontology_edit.delete_term(a.store, local_term(a.store, t3), user_pk=me)
    rep = a.sync([p])
    assert rep.ok and rep.failed == 0, rep.reason()
    assert outbox(a.store) == []
    on_server = server_terms(server, onto)
    assert set(on_server) == {"tumour", "stroma2", "fat"}
    assert on_server["stroma2"][0] == "#00FF00"
    assert on_server["fat"] == ("#0000FF", t1)  # created with its parent link
    with a.store.read() as s:
        assert s.get(Term, new).server_id is not None
    assert a.sync([p]).writes == 0  # nothing left to say
    rep = b.sync([p])  # the other client pulls the rename, recolour, new term, delete
    assert rep.ok, rep.reason()
    assert cache_terms(b, onto) == {k: v[0] for k, v in on_server.items()}
    with b.store.read() as s:
        assert s.scalar(select(Term).where(Term.server_id == t3)) is None
    # the bulk feed carries the term changes too (for clients that skip the checkout)
    page = (
        server.client("bob")
        .get(f"/api/project/{p}/annotations/bulk.json", params={"since": 0})
        .json()
    )
    assert {t["name"] for t in page["terms"]} >= {"tumour", "stroma2", "fat"}
    assert {g["id"] for g in page["deletedTerms"]} == {t3}
    # a stale rename (bob renamed it meanwhile): per-field last writer wins, no loss
    server.client("alice").put(
        f"/api/term/{t2}.json", {"name": "stroma-b", "color": "#00FF00", "ontology": onto}
    )
    ontology_edit.recolor_term(a.store, local_term(a.store, t2), "#123456", user_pk=me)
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    assert server_terms(server, onto)["stroma-b"][0] == "#123456"
    assert cache_terms(a, onto)["stroma-b"] == "#123456"
    # bob may annotate but not change alice's ontology: his rename is refused (403),
    # kept as his sync issue, and the rest of his sync goes on
    ontology_edit.rename_term(b.store, local_term(b.store, t1), "bob's", user_pk=b.me())
    draw(b, world["image"], square(400, 400), [t2])
    rep = b.sync([p])
    assert rep.error is None and rep.failed == 1 and rep.pushed == 2, rep
    (issue,) = b.engine.list_conflicts()
    assert issue.entity_type == "term" and "403" in issue.message
    b.engine.resolve(issue.pk, "theirs")
    assert cache_terms(b, onto)["tumour"] == on_server["tumour"][0]
    settle([a, b], p)
    assert_converged(server, [a, b], p, tmp_path)


def test_deleting_a_used_term_is_refused_and_shown(
    server: Any, world: dict[str, Any], devices: Any, tmp_path: Path
) -> None:
    p, img, onto, (t1, _, _) = world["project"], world["image"], world["ontology"], world["terms"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok and b.sync([p]).ok
    ann = draw(b, img, square(10, 10), [t1])  # bob uses t1; alice has not seen it yet
    assert b.sync([p]).ok
    ontology_edit.delete_term(a.store, local_term(a.store, t1), user_pk=a.me())
    rep = a.sync([p])
    assert rep.failed == 1 and not rep.ok, rep
    (issue,) = a.engine.list_conflicts()
    assert issue.kind == "failed" and issue.entity_type == "term"
    assert "still used by 1 annotation" in issue.message
    assert "tumor" in server_terms(server, onto)  # the server kept it, and bob's link
    sid = local_ann(b.store, uid=ann.uid).server_id
    assert server_state(server, p)[sid][2] == {(t1, server.users["bob"].id)}
    a.engine.resolve(issue.pk, "theirs")  # give up the delete: the term is back
    assert "tumor" in cache_terms(a, onto)
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    assert cache_state(a.store, p)[sid][2] == {(t1, server.users["bob"].id)}
    settle([a, b], p)
    assert_converged(server, [a, b], p, tmp_path)


def test_term_deleted_on_server_while_used_locally_is_not_lost(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    p, img, onto, (_, t2, _) = world["project"], world["image"], world["ontology"], world["terms"]
    b = devices["new"]("b", "bob")
    assert b.sync([p]).ok
    ann = draw(b, img, square(10, 10), [t2])  # offline: the server has no link to t2
    assert server.client("alice").delete(f"/api/term/{t2}.json").ok  # unused there: deleted
    rep = b.sync([p])
    assert rep.failed == 1, rep  # the link cannot be sent: a visible sync issue
    (issue,) = b.engine.list_conflicts()
    assert issue.entity_type == "annotation_term" and "not in the project" in issue.message
    with b.store.read() as s:  # the term and the annotation's link are kept locally
        term = s.scalar(select(Term).where(Term.server_id == t2))
        assert term is not None and term.sync_state is SyncState.ORPHANED
        links = s.scalars(select(AnnotationTerm).where(AnnotationTerm.term_pk == term.pk))
        assert [link.annotation_pk for link in links] == [ann.pk]
    assert "stroma" not in server_terms(server, onto)
    b.engine.resolve(issue.pk, "theirs")  # the user gives the link up: now nothing needs it
    rep = b.sync([p])
    assert rep.ok, rep.reason()
    with b.store.read() as s:
        assert s.scalar(select(Term).where(Term.server_id == t2)) is None
        assert s.scalars(select(AnnotationTerm)).all() == []


def test_ontology_rename_pushed_pulled_and_rebased(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    """The ontology's own name: pushed with its base version, pulled by the other
    client, and a rename made on the server meanwhile is overwritten by the later one
    (the name is the only field: last writer wins, after a 409 and a rebase)."""
    p, onto = world["project"], world["ontology"]
    alice = server.client("alice")
    original = alice.get(f"/api/ontology/{onto}.json").json()["name"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok and b.sync([p]).ok
    try:
        ontology_edit.rename_ontology(a.store, onto_pk(a, onto), "Renamed", user_pk=a.me())
        rep = a.sync([p])
        assert rep.ok and rep.failed == 0, rep.reason()
        assert outbox(a.store) == [] and a.sync([p]).writes == 0
        assert alice.get(f"/api/ontology/{onto}.json").json()["name"] == "Renamed"
        assert b.sync([p]).ok
        with b.store.read() as s:
            assert s.get(Ontology, onto_pk(b, onto)).name == "Renamed"  # pulled
        ontology_edit.rename_ontology(a.store, onto_pk(a, onto), "Mine", user_pk=a.me())
        body = {"name": "Theirs"}
        assert alice.put(f"/api/ontology/{onto}.json", body).ok  # meanwhile on the server
        rep = a.sync([p])
        assert rep.ok and rep.conflicts == 0 and rep.failed == 0, rep.reason()
        assert alice.get(f"/api/ontology/{onto}.json").json()["name"] == "Mine"
        assert outbox(a.store) == []
        with a.store.read() as s:
            assert s.get(Ontology, onto_pk(a, onto)).name == "Mine"
    finally:
        alice.put(f"/api/ontology/{onto}.json", {"name": original})
