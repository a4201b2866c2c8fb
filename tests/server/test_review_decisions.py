"""Readers' decisions over HTTP: blinded visibility per role, adjudication as final.

alice is the project admin, bob a read-write reader, carol a read-only member; the
adjudicated outcome is checked the way a stock Cytomine client reads it
(``GET /api/reviewedannotation.json``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.server.harness import Server

SQUARE = "POLYGON ((100 100, 160 100, 160 160, 100 160, 100 100))"


def _set_blind(server: Server, project: int, blind: bool) -> None:
    a = server.client("alice")
    body = a.get(f"/api/project/{project}.json").json()
    body["blindMode"] = blind
    r = a.put(f"/api/project/{project}.json", body)
    assert r.status_code == 200, r.text


@pytest.fixture
def blinded(server: Server, world: dict[str, int]) -> Iterator[dict[str, int]]:
    _set_blind(server, world["project"], True)
    try:
        yield world
    finally:
        _set_blind(server, world["project"], False)


def _annotation(server: Server, w: dict[str, int]) -> int:
    r = server.client("alice").post(
        "/api/annotation.json", {"image": w["image"], "location": SQUARE, "term": [w["term1"]]}
    )
    assert r.status_code == 200, r.text
    return int(r.json()["annotation"]["id"])


def _decide(server: Server, who: str, ann: int, decision: str, **extra: Any) -> Any:
    body = {"annotation": ann, "decision": decision, **extra}
    return server.client(who).post("/api/reviewdecision.json", body)


def _visible(server: Server, who: str, w: dict[str, int], ann: int) -> list[tuple[str, str]]:
    r = server.client(who).get(
        f"/api/project/{w['project']}/reviewdecision.json", params={"annotation": ann}
    )
    assert r.status_code == 200, r.text
    return sorted((d["reviewerName"], d["decision"]) for d in r.json()["collection"])


def test_blinded_visibility_per_role(server: Server, blinded: dict[str, int]) -> None:
    w, ann = blinded, _annotation(server, blinded)
    first = _decide(server, "alice", ann, "accepted", terms=[w["term1"]])
    assert first.status_code == 200, first.text
    second = _decide(
        server, "bob", ann, "rejected", terms=[w["term2"]], reason="wrong_class", comment="x"
    )
    assert second.status_code == 200, second.text
    bob_id = second.json()["reviewdecision"]["id"]
    alice_id = first.json()["reviewdecision"]["id"]
    # blinded: the reader sees only their own decision; the admin sees both
    assert _visible(server, "bob", w, ann) == [("bob", "rejected")]
    assert _visible(server, "alice", w, ann) == [("alice", "accepted"), ("bob", "rejected")]
    assert _visible(server, "carol", w, ann) == []
    listing = server.client("bob").get(f"/api/project/{w['project']}/reviewdecision.json")
    assert listing.json()["blinded"] is True
    # a hidden decision is a 404, not a 403 (its existence does not leak)
    assert server.client("bob").get(f"/api/reviewdecision/{alice_id}.json").status_code == 404
    assert server.client("alice").get(f"/api/reviewdecision/{bob_id}.json").status_code == 200
    # a read-only member may not decide; only admins adjudicate
    assert _decide(server, "carol", ann, "accepted").status_code == 403
    assert _decide(server, "bob", ann, "accepted", role="adjudicator").status_code == 403
    # unblinded: every member sees every decision
    _set_blind(server, w["project"], False)
    assert _visible(server, "bob", w, ann) == [("alice", "accepted"), ("bob", "rejected")]
    assert _visible(server, "carol", w, ann) == [("alice", "accepted"), ("bob", "rejected")]


def test_each_readers_first_decision_stands(server: Server, world: dict[str, int]) -> None:
    ann = _annotation(server, world)
    r1 = _decide(server, "bob", ann, "accepted", uid="11111111-2222-4333-8444-555555555555")
    assert r1.status_code == 200 and r1.json()["created"] is True
    again = _decide(server, "bob", ann, "accepted")
    assert again.status_code == 200 and again.json()["created"] is False
    retry = _decide(server, "bob", ann, "accepted", uid="11111111-2222-4333-8444-555555555555")
    assert retry.json()["reviewdecision"]["id"] == r1.json()["reviewdecision"]["id"]
    refused = _decide(server, "bob", ann, "rejected", reason="other")
    assert refused.status_code == 409
    assert refused.json()["reviewdecision"]["decision"] == "accepted"
    bad = _decide(server, "bob", ann, "rejected", reason="no-such-reason")
    assert bad.status_code in (400, 409)
    # the reader withdraws (undo) and decides again
    d = r1.json()["reviewdecision"]["id"]
    assert server.client("carol").delete(f"/api/reviewdecision/{d}.json").status_code == 403
    assert server.client("bob").delete(f"/api/reviewdecision/{d}.json").status_code == 200
    assert _decide(server, "bob", ann, "rejected", reason="duplicate").status_code == 200
    # the feed carries the decisions for pulls
    feed = server.client("bob").get(f"/api/project/{world['project']}/changes.json").json()
    kinds = {(c["entity"], c["action"]) for c in feed["changes"] if c["entity"] == "reviewdecision"}
    assert kinds == {("reviewdecision", "created"), ("reviewdecision", "deleted")}


def test_reason_codes_edited_by_admins(server: Server, world: dict[str, int]) -> None:
    p = world["project"]
    bob, alice = server.client("bob"), server.client("alice")
    got = bob.get(f"/api/project/{p}/reviewreason.json").json()
    assert got["default"] is True and got["collection"][0] == {
        "code": "wrong_class",
        "label": "wrong class",
    }
    new = [{"code": "blurred", "label": "blurred"}, {"code": "other", "label": "other"}]
    assert bob.put(f"/api/project/{p}/reviewreason.json", {"collection": new}).status_code == 403
    dup = alice.put(f"/api/project/{p}/reviewreason.json", {"collection": new + new[:1]})
    assert dup.status_code == 400
    try:
        r = alice.put(f"/api/project/{p}/reviewreason.json", {"collection": new})
        assert r.status_code == 200 and r.json()["collection"] == new
        ann = _annotation(server, world)
        assert _decide(server, "bob", ann, "rejected", reason="wrong_class").status_code == 400
        assert _decide(server, "bob", ann, "rejected", reason="blurred").status_code == 200
    finally:
        alice.put(f"/api/project/{p}/reviewreason.json", {"collection": None})


def test_adjudication_sets_what_a_stock_client_sees(
    server: Server, blinded: dict[str, int]
) -> None:
    w, ann = blinded, _annotation(server, blinded)
    assert _decide(server, "alice", ann, "accepted", terms=[w["term1"]]).status_code == 200
    assert _decide(server, "bob", ann, "rejected", reason="boundary").status_code == 200

    def reviewed() -> list[dict[str, Any]]:
        r = server.client("bob").get(
            "/api/reviewedannotation.json", params={"project": w["project"]}
        )
        assert r.status_code == 200, r.text
        return [x for x in r.json()["collection"] if x.get("parentIdent") == ann]

    assert reviewed() == []  # readers' decisions are not the final one
    final = _decide(server, "alice", ann, "accepted", role="adjudicator", terms=[w["term2"]])
    assert final.status_code == 200, final.text
    rows = reviewed()
    assert len(rows) == 1
    one = server.client("bob").get(f"/api/reviewedannotation/{rows[0]['id']}.json").json()
    assert one["term"] == [w["term2"]] and one["reviewUser"] == server.users["alice"].id
    # the adjudicator changes the final call: the reviewed copy goes, a rejection stands
    again = _decide(server, "alice", ann, "rejected", role="adjudicator", reason="boundary")
    assert again.status_code == 200, again.text
    assert reviewed() == []
    a = server.client("alice")
    fqcn = "be.cytomine.domain.ontology.UserAnnotation"
    prop = a.get(f"/api/domain/{fqcn}/{ann}/key/sync:review.rejected/property.json")
    assert prop.status_code == 200, prop.text
    # both readers' decisions are still there, beside one adjudication
    roles = sorted(
        (d["reviewerName"], d["role"])
        for d in a.get(
            f"/api/project/{w['project']}/reviewdecision.json", params={"annotation": ann}
        ).json()["collection"]
    )
    assert roles == [("alice", "adjudicator"), ("alice", "reader"), ("bob", "reader")]


def test_a_field_the_client_renamed_is_refused_by_name(
    server: Server, world: dict[str, int]
) -> None:
    """The decision body is one class (``protocol.review.DecisionRequest``) for the sync
    client that builds it and the server that parses it; a body whose field was renamed
    on the client side is a 400 naming it, never a decision stored without it."""
    ann = _annotation(server, world)
    r = _decide(server, "bob", ann, "rejected", reason="other", coment="too small")
    assert r.status_code == 400, r.text
    assert r.json()["success"] is False and "coment" in r.json()["errors"]
    listing = server.client("bob").get(
        f"/api/project/{world['project']}/reviewdecision.json", params={"annotation": ann}
    )
    assert listing.json()["size"] == 0
    r = _decide(server, "bob", ann, "rejected", reason="other", comment="too small")
    assert r.status_code == 200 and r.json()["reviewdecision"]["comment"] == "too small"
