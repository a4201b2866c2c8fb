"""Two readers of a project that is NOT blinded, on two workstations (issue 13).

alice (project admin) imports a slide and publishes the project; bob (a member) pulls
it; both decide on the same annotations with ``workstation review`` while nothing talks
to the server, then sync.  Outside blind mode each reading also bids to be the final
decision (Cytomine's reviewed annotation); the first to reach the server is final and
the other bid is withdrawn quietly: no sync reports a conflict, whether the readers
agree or not.  Every reading is kept, and the disagreements (decision or term) are in
alice's adjudication queue; her adjudication is the final decision a stock client reads.
Every step is the real ``workstation`` command in a subprocess.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import TEAM, Ws, account_env, server_cli, write_geojson
from tests.server.harness import Server, running_server

CLASSES = ["Tumor", "Stroma", "Necrosis"]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory, slide_file: Path) -> Any:
    tmp = tmp_path_factory.mktemp("two-readers")
    account = account_env(tmp)
    ws = {name: Ws(name, tmp / name, account) for name in ("alice", "bob")}
    with running_server("sqlite", tmp / "server", TEAM, ["--workers", "1"]) as server:
        yield _run(server, slide_file, ws, tmp)


def _run(server: Server, slide_file: Path, ws: dict[str, Ws], tmp: Path) -> dict[str, Any]:
    alice, bob = ws["alice"], ws["bob"]
    alice.run("import", str(slide_file), str(write_geojson(tmp / "cells.geojson", CLASSES, n=6)))
    for name, w in ws.items():
        w.login(server, name)
    pushed = alice.run("sync", "--push-local")
    match = re.search(r"on the server as project (\d+)", pushed.stdout)
    assert match, pushed.stdout
    project = match.group(1)
    out = server_cli(
        server, "add-member", project, "bob", "--role", "rw", "--database-url", server.database_url
    )
    assert out.returncode == 0, out.stderr
    assert bob.sync()["exit"] == 0
    [image] = [i for i in bob.json("images") if i["server_id"] is not None]
    img = str(image["server_id"])
    listing = bob.json("review", img)
    assert listing["blinded"] is False
    a1, a2, a3, a4 = sorted((r["annotation"] for r in listing["annotations"]), key=int)[:4]
    # offline: both readers decide the same annotations before either syncs
    alice.run("review", img, a1, "--accept")  # agree: accept, the annotation's term
    bob.run("review", img, a1, "--accept")
    alice.run("review", img, a2, "--accept")  # disagree on the decision
    bob.run("review", img, a2, "--reject", "--reason", "2")
    alice.run("review", img, a3, "--accept", "--term", "Necrosis")  # disagree on the term
    bob.run("review", img, a3, "--accept", "--term", "Stroma")
    alice.run("review", img, a4, "--reject", "--reason", "duplicate")  # agree: reject
    bob.run("review", img, a4, "--reject", "--reason", "duplicate")
    syncs = [alice.sync(), bob.sync(), alice.sync(), bob.sync()]
    api = server.client("alice")
    res: dict[str, Any] = {"project": project, "anns": (a1, a2, a3, a4), "syncs": syncs}
    res["doctor"] = [w.run("doctor").stdout for w in (alice, bob)]
    res["queue"] = alice.json("adjudicate", project)["queue"]
    res["decisions"] = api.get(f"/api/project/{project}/reviewdecision.json").json()
    res["reviewed"] = api.get("/api/reviewedannotation.json", params={"project": project}).json()
    res["bob_review"] = bob.json("review", img)
    alice.run("adjudicate", project, a2, "--reject", "--reason", "boundary")
    alice.run("adjudicate", project, a3, "--accept", "--term", "Stroma")
    res["after_syncs"] = [alice.sync(), bob.sync()]
    res["after_queue"] = alice.json("adjudicate", project)["queue"]
    res["after_reviewed"] = api.get(
        "/api/reviewedannotation.json", params={"project": project}
    ).json()
    res["terms"] = {
        t["id"]: t["name"]
        for t in api.get(f"/api/project/{project}/term.json").json()["collection"]
    }
    return res


def test_no_sync_conflict_between_two_readers(study: dict[str, Any]) -> None:
    for summary in study["syncs"] + study["after_syncs"]:
        assert summary["exit"] == 0, summary["stderr"]
        assert summary["conflicts"] == 0 and summary["failed"] == 0, summary
        assert "conflict" not in summary["stderr"]
    for report in study["doctor"]:
        assert "healthy" in report, report


def test_every_reading_is_kept(study: dict[str, Any]) -> None:
    a1, a2, a3, a4 = (int(a) for a in study["anns"])
    rows = sorted(
        (d["reviewerName"], d["annotation"], d["decision"])
        for d in study["decisions"]["collection"]
    )
    assert rows == sorted(
        [
            ("alice", a1, "accepted"), ("bob", a1, "accepted"),
            ("alice", a2, "accepted"), ("bob", a2, "rejected"),
            ("alice", a3, "accepted"), ("bob", a3, "accepted"),
            ("alice", a4, "rejected"), ("bob", a4, "rejected"),
        ]
    )  # fmt: skip
    mine = {x["annotation"]: x["decision"] for x in study["bob_review"]["annotations"]}
    assert [mine[str(a)] for a in (a1, a2, a3, a4)] == [
        "accepted", "rejected", "accepted", "rejected",
    ]  # fmt: skip


def test_the_first_reading_to_arrive_is_final(study: dict[str, Any]) -> None:
    a1, a2, a3, a4 = (int(a) for a in study["anns"])
    finals = {r["parentIdent"]: r for r in study["reviewed"]["collection"]}
    assert set(finals) == {a1, a2, a3}  # alice synced first; a4 is rejected (no copy)
    alice = {
        d["reviewer"] for d in study["decisions"]["collection"] if d["reviewerName"] == "alice"
    }
    assert {r["reviewUser"] for r in finals.values()} == alice


def test_disagreements_go_to_adjudication(study: dict[str, Any]) -> None:
    _, a2, a3, _ = study["anns"]
    queue = {q["annotation"]: q for q in study["queue"]}
    assert set(queue) == {a2, a3}
    assert queue[a2]["on_decision"] and not queue[a2]["on_terms"]
    assert queue[a3]["on_terms"] and not queue[a3]["on_decision"]
    assert study["after_queue"] == []
    finals = {r["parentIdent"]: r for r in study["after_reviewed"]["collection"]}
    assert int(a2) not in finals  # adjudicated: rejected
    assert [study["terms"][t] for t in finals[int(a3)]["term"]] == ["Stroma"]
