"""Two readers on two workstations, blinded, offline, then adjudication (issue 13).

alice (project admin) imports a slide with six annotations and publishes the project
in blind mode; bob and carol pull it on their own workstations, decide on the same
annotations with ``workstation review`` while nothing talks to the server, then sync.
Every decision is kept; the disagreements are in alice's adjudication queue; her final
decisions are what a stock Cytomine client reads (``GET /api/reviewedannotation.json``).
Every step is the real ``workstation`` command in a subprocess; the study runs on
PostgreSQL (tests/e2e/conftest.postgres_param).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import TEAM, Ws, account_env, postgres_param, server_cli, write_geojson
from tests.server.harness import Server, running_server

CLASSES = ["Tumor", "Stroma", "Necrosis"]


@pytest.fixture(scope="module", params=postgres_param())
def study(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, slide_file: Path
) -> Any:
    tmp = tmp_path_factory.mktemp(f"study-{request.param}")
    account = account_env(tmp)
    ws = {name: Ws(name, tmp / name, account) for name in TEAM}
    with running_server(request.param, tmp / "server", TEAM, ["--workers", "1"]) as server:
        yield _run(server, slide_file, ws, tmp)


def _run(server: Server, slide_file: Path, ws: dict[str, Ws], tmp: Path) -> dict[str, Any]:
    alice, bob, carol = ws["alice"], ws["bob"], ws["carol"]
    geo = write_geojson(tmp / "cells.geojson", CLASSES, n=6)
    alice.run("import", str(slide_file), str(geo))
    for name, w in ws.items():
        w.login(server, name)
    pushed = alice.run("sync", "--push-local")
    match = re.search(r"on the server as project (\d+)", pushed.stdout)
    assert match, pushed.stdout
    project = match.group(1)
    for reader in ("bob", "carol"):
        out = server_cli(
            server, "add-member", project, reader, "--role", "rw",
            "--database-url", server.database_url,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
    # the project setting: blind mode (as a project admin sets it on the server)
    api = server.client("alice")
    body = api.get(f"/api/project/{project}.json").json()
    assert api.put(f"/api/project/{project}.json", {**body, "blindMode": True}).ok
    syncs = _synced(bob.sync(), carol.sync())
    [image] = [i for i in bob.json("images") if i["server_id"] is not None]
    listing = bob.json("review", str(image["server_id"]))
    assert listing["blinded"] is True
    a1, a2, a3 = sorted((r["annotation"] for r in listing["annotations"]), key=int)[:3]
    img = str(image["server_id"])
    # offline: ``workstation review`` writes the cache only; nothing is sent until sync
    bob.run("review", img, a1, "--accept", "--term", "Tumor")
    bob.run("review", img, a2, "--reject", "--reason", "2", "--comment", "cuts the gland")
    bob.run("review", img, a3, "--accept", "--term", "Tumor")
    carol.run("review", img, a1, "--accept", "--term", "Tumor")
    carol.run("review", img, a2, "--accept", "--term", "Stroma")
    carol.run("review", img, a3, "--accept", "--term", "Stroma")
    again = carol.run("review", img, a2, "--reject", check=False)  # her first decision stands
    assert again.returncode != 0 and "already accepted" in again.stderr
    syncs += _synced(bob.sync(), carol.sync(), alice.sync())
    out: dict[str, Any] = {"server": server, "project": project, "anns": (a1, a2, a3)}
    out["queue"] = alice.json("adjudicate", project)["queue"]
    out["bob_sees"] = server.client("bob").get(f"/api/project/{project}/reviewdecision.json")
    out["alice_sees"] = api.get(f"/api/project/{project}/reviewdecision.json")
    alice.run("adjudicate", project, a2, "--reject", "--reason", "boundary")
    alice.run("adjudicate", project, a3, "--accept", "--term", "Stroma")
    agreed = alice.run("adjudicate", project, "--agreed")  # a1: both readers accepted Tumor
    assert "1 annotation(s)" in agreed.stdout, agreed.stdout
    syncs += _synced(alice.sync(), bob.sync())
    out["after_queue"] = alice.json("adjudicate", project)["queue"]
    out["reviewed"] = api.get("/api/reviewedannotation.json", params={"project": project})
    out["bob_review"] = bob.json("review", img)
    out["syncs"] = syncs
    return out


def _synced(*summaries: dict[str, Any]) -> list[dict[str, Any]]:
    """Each sync of the study succeeded, checked as it happens: a failed one names itself
    here, not as a wrong count several steps later."""
    for summary in summaries:
        assert summary["exit"] == 0, summary["stderr"]
    return list(summaries)


def test_every_decision_is_kept_and_blinded(study: dict[str, Any]) -> None:
    for summary in study["syncs"]:
        assert summary["exit"] == 0, summary["stderr"]
    everyone = study["alice_sees"].json()
    pairs = sorted(
        (d["reviewerName"], d["annotation"], d["decision"]) for d in everyone["collection"]
    )
    a1, a2, a3 = (int(a) for a in study["anns"])
    assert pairs == sorted(
        [
            ("bob", a1, "accepted"), ("bob", a2, "rejected"), ("bob", a3, "accepted"),
            ("carol", a1, "accepted"), ("carol", a2, "accepted"), ("carol", a3, "accepted"),
        ]
    )  # fmt: skip
    bob_rej = [
        d for d in everyone["collection"] if d["reviewerName"] == "bob" and d["annotation"] == a2
    ]
    assert bob_rej[0]["reason"] == "boundary" and bob_rej[0]["comment"] == "cuts the gland"
    bobs = study["bob_sees"].json()
    assert bobs["blinded"] is True
    assert {d["reviewerName"] for d in bobs["collection"]} == {"bob"}  # carol's hidden


def test_disagreements_are_in_the_adjudication_queue(study: dict[str, Any]) -> None:
    _, a2, a3 = study["anns"]
    queue = {q["annotation"]: q for q in study["queue"]}
    assert set(queue) == {a2, a3}  # a1: both accepted as Tumor
    assert queue[a2]["on_decision"] and not queue[a2]["on_terms"]  # a rejection has no term
    assert queue[a3]["on_terms"] and not queue[a3]["on_decision"]
    assert sorted(r["reader"] for r in queue[a2]["readings"]) == ["bob", "carol"]
    assert study["after_queue"] == []


def test_adjudication_is_what_a_stock_client_sees(study: dict[str, Any]) -> None:
    a1, a2, a3 = (int(a) for a in study["anns"])
    r = study["reviewed"]
    assert r.status_code == 200, r.text
    parents = {x["parentIdent"]: x for x in r.json()["collection"]}
    assert a3 in parents and a2 not in parents and a1 in parents
    api = study["server"].client("alice")
    final = api.get(f"/api/reviewedannotation/{parents[a3]['id']}.json").json()
    names = {
        t["id"]: t["name"]
        for t in api.get(f"/api/project/{study['project']}/term.json").json()["collection"]
    }
    assert [names[t] for t in final["term"]] == ["Stroma"]
    # bob's own readings are unchanged by the adjudication
    mine = {x["annotation"]: x["decision"] for x in study["bob_review"]["annotations"]}
    assert mine[str(a2)] == "rejected" and mine[str(a3)] == "accepted"
