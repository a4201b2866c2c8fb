"""Agreement of a project's readers from a real cache, the CSV, and the command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import shapely

from desktop_app.model.review import DecisionRole, Verdict
from desktop_app.model.security import User
from desktop_app.services.agreement import (
    CSV_COLUMNS,
    agreement_json,
    project_agreement,
    write_decisions_csv,
)
from desktop_app.services.annotations import AnnotationService
from desktop_app.services.workspace import Workspace
from desktop_app.store import decisions
from tests.cli.test_foundation_cli import workstation
from tests.scene import INFO, Scene

A, R = Verdict.ACCEPTED, Verdict.REJECTED


def _user(scene: Scene, name: str) -> int:
    with scene.store.unit_of_work(undoable=False) as uow:
        user = User(username=name)
        uow.session.add(user)
        uow.session.flush()
        return int(user.pk)


def _decide(
    scene: Scene, reader: int, ann: int, verdict: Verdict, *terms: int, **kw: object
) -> None:
    with scene.store.unit_of_work(user_pk=reader) as uow:
        decisions.record_decision(
            uow,
            ann,
            reviewer_pk=reader,
            decision=verdict,
            term_pks=terms,
            **kw,  # type: ignore[arg-type]
        )


@pytest.fixture
def study(scene: Scene, tmp_path: Path) -> dict[str, int]:
    """Three readers on four annotations of image 1, one more annotation on image 2."""
    other = tmp_path / "other.svs"
    other.write_bytes(b"second slide" * 100)
    image2 = Workspace(scene.store).register_slide(other, INFO, project_pk=scene.project_pk).pk
    one = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    two = AnnotationService(scene.store, image2, scene.user_pk)
    tum, stro = scene.terms["Tumor"], scene.terms["Stroma"]
    a1, a2, a3, a4 = (one.create(shapely.box(i * 20, 0, i * 20 + 10, 10), [tum]) for i in range(4))
    b1 = two.create(shapely.box(0, 0, 10, 10), [tum])
    ann, bob, cid = _user(scene, "ann"), _user(scene, "bob"), _user(scene, "cid")
    for reader, ann_pk, verdict, terms in (
        (ann, a1, A, [tum]), (ann, a2, R, [stro]), (ann, a3, A, [tum]), (ann, a4, A, []),
        (bob, a1, A, [tum]), (bob, a2, A, [tum]), (bob, a3, A, [tum]),
        (cid, a1, A, [stro]), (cid, a2, R, [stro]), (cid, a3, R, [tum]), (cid, a4, R, []),
        (ann, b1, A, [tum]), (bob, b1, R, [tum, stro]),
    ):  # fmt: skip
        kw = {"reason": "wrong_class", "comment": 'not, "tumour"'} if verdict is R else {}
        _decide(scene, reader, ann_pk, verdict, *terms, **kw)
    _decide(scene, ann, a2, A, tum, role=DecisionRole.ADJUDICATOR)  # a final call: not a reading
    return {"image2": image2, "a2": a2, "b1": b1}


def test_agreement_per_image_hand_computed(scene: Scene, study: dict[str, int]) -> None:
    result = project_agreement(scene.store, scene.project_pk, scene.image_pk)
    assert result.readers == ["ann", "bob", "cid"]
    doc = agreement_json(result)
    ab, ac, bc = doc["pairs"]
    # ann YNYY, bob YYY- : 3 shared, 2 agree; bob always Y -> kappa 0.  Terms: both
    # accepted a1 and a3, Tumor each time: one label, p_e = 1 -> term kappa undefined
    assert ab == {
        "a": "ann", "b": "bob", "n": 3, "percent_agreement": pytest.approx(2 / 3, abs=1e-6),
        "decision_kappa": 0.0, "term_kappa": None, "term_n": 2,
        "term_percent_agreement": 1.0,
    }  # fmt: skip
    # ann Y N Y Y vs cid Y N N N: p_o .5, p_e .375 -> .2; both accepted a1 only
    assert ac["n"] == 4 and ac["decision_kappa"] == pytest.approx(0.2) and ac["term_n"] == 1
    # bob Y Y Y vs cid Y N N: bob constant -> 0
    assert bc["n"] == 3 and bc["decision_kappa"] == pytest.approx(0.0)
    # Fleiss over a1..a3 (decided by all): Y Y Y / N Y N / Y Y N -> 0 (see core tests)
    assert doc["fleiss_kappa"] == pytest.approx(0.0) and doc["fleiss_n"] == 3
    assert doc["confusion"][0] == {"a": "ann", "b": "bob", "labels": ["Tumor"], "matrix": [[2]]}


def test_agreement_per_project_and_csv(scene: Scene, study: dict[str, int]) -> None:
    doc = agreement_json(project_agreement(scene.store, scene.project_pk))
    ab = doc["pairs"][0]
    assert ab["n"] == 4  # b1 on image 2 joins: ann Y, bob N
    assert ab["percent_agreement"] == pytest.approx(0.5)
    assert doc["confusion"][0]["labels"] == ["Tumor"]  # bob rejected b1: its terms are moot
    two = agreement_json(project_agreement(scene.store, scene.project_pk, study["image2"]))
    assert [p["n"] for p in two["pairs"]] == [1] and two["fleiss_kappa"] is None
    # one item, ann Y and bob N: p_o = 0, p_e = 1*0 + 0*1 = 0 -> kappa 0
    assert two["pairs"][0]["decision_kappa"] == 0.0

    out = io.StringIO()
    assert write_decisions_csv(scene.store, scene.project_pk, out) == 14
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    adjudicated = [r for r in rows if r["role"] == "adjudicator"]
    assert len(adjudicated) == 1 and adjudicated[0]["annotation"] == f"local:{study['a2']}"
    rejected = [r for r in rows if r["decision"] == "rejected"]
    assert {r["comment"] for r in rejected} == {'not, "tumour"'}  # quoted, read back whole
    assert {r["reason"] for r in rejected} == {"wrong_class"}
    b1 = [r for r in rows if r["annotation"] == f"local:{study['b1']}" and r["reader"] == "bob"]
    assert b1[0]["terms"] == "Stroma; Tumor" and b1[0]["image_name"] == "other.svs"


def test_agreement_command(scene: Scene, study: dict[str, int], tmp_path: Path) -> None:
    scene.store.close()
    data = ["--data-dir", str(scene.path.parent)]
    project = f"local:{scene.project_pk}"
    res = workstation(*data, "agreement", project, "--image", str(scene.image_pk), "--json")
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert set(doc) >= {"pairs", "fleiss_kappa", "confusion"}
    assert [(p["a"], p["b"]) for p in doc["pairs"]] == [
        ("ann", "bob"),
        ("ann", "cid"),
        ("bob", "cid"),
    ]
    assert set(doc["pairs"][0]) >= {
        "a",
        "b",
        "n",
        "percent_agreement",
        "decision_kappa",
        "term_kappa",
    }
    assert doc["pairs"][1]["decision_kappa"] == pytest.approx(0.2)

    res = workstation(*data, "agreement", "P", "--csv", str(tmp_path / "d.csv"))
    assert res.returncode == 0, res.stderr
    assert "ann" in res.stdout and "Fleiss' kappa (3 readers" in res.stdout
    assert "wrote 14 decisions" in res.stderr
    assert len((tmp_path / "d.csv").read_text().splitlines()) == 15

    bad = workstation(*data, "agreement", "no such project")
    assert bad.returncode == 1 and "no project 'no such project'" in bad.stderr
    bad = workstation(*data, "agreement", project, "--image", "999")
    assert bad.returncode == 1 and "has no image '999'" in bad.stderr


def test_no_annotation_both_accepted_has_no_term_figures(scene: Scene, tmp_path: Path) -> None:
    """Both readers reject everything they share: the terms they left on the rejected
    outlines (the same ones) are no reading, so term kappa is null, never 1."""
    svc = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tum, stro = scene.terms["Tumor"], scene.terms["Stroma"]
    a1, a2, a3, a4 = (svc.create(shapely.box(i * 20, 0, i * 20 + 10, 10), [tum]) for i in range(4))
    ann, bob, cid = _user(scene, "ann"), _user(scene, "bob"), _user(scene, "cid")
    for reader, ann_pk, verdict, terms in (
        (ann, a1, A, [tum]), (ann, a2, R, [stro]), (ann, a3, R, [tum]),
        (bob, a1, R, [tum]), (bob, a2, R, [stro]), (bob, a3, R, [tum]),
        (cid, a4, A, [tum, stro]),
    ):  # fmt: skip
        _decide(scene, reader, ann_pk, verdict, *terms)
    doc = agreement_json(project_agreement(scene.store, scene.project_pk))
    ab, ac, bc = doc["pairs"]
    # ann A R R, bob R R R: p_o = 2/3; p_e = 1/3*0 + 2/3*1 = 2/3 -> kappa 0
    assert ab["n"] == 3 and ab["percent_agreement"] == pytest.approx(2 / 3, abs=1e-6)
    assert ab["decision_kappa"] == pytest.approx(0.0)
    assert ab["term_n"] == 0 and ab["term_kappa"] is None
    assert ab["term_percent_agreement"] is None
    assert doc["confusion"][0] == {"a": "ann", "b": "bob", "labels": [], "matrix": []}
    # cid shares no annotation with anyone: n = 0, every figure null
    for pair in (ac, bc):
        assert pair["n"] == 0 and pair["term_n"] == 0
        assert pair["percent_agreement"] is None and pair["decision_kappa"] is None
        assert pair["term_kappa"] is None and pair["term_percent_agreement"] is None

    scene.store.close()
    data = ["--data-dir", str(scene.path.parent)]
    res = workstation(*data, "agreement", f"local:{scene.project_pk}", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["pairs"][0]["term_kappa"] is None
    res = workstation(*data, "agreement", f"local:{scene.project_pk}")
    assert res.returncode == 0, res.stderr
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in res.stdout.splitlines()[1:4]}
    assert rows[("ann", "bob")] == ["3", "66.7%", "0.000", "—"]
    assert rows[("ann", "cid")] == ["0", "—", "—", "—"]


def test_several_accepted_terms_are_one_label(scene: Scene) -> None:
    svc = AnnotationService(scene.store, scene.image_pk, scene.user_pk)
    tum, stro = scene.terms["Tumor"], scene.terms["Stroma"]
    a1, a2 = (svc.create(shapely.box(i * 20, 0, i * 20 + 10, 10), [tum]) for i in range(2))
    ann, bob = _user(scene, "ann"), _user(scene, "bob")
    for reader, ann_pk, terms in (
        (ann, a1, [tum, stro]), (ann, a2, [tum]), (bob, a1, [stro, tum]), (bob, a2, [stro]),
    ):  # fmt: skip
        _decide(scene, reader, ann_pk, A, *terms)
    doc = agreement_json(project_agreement(scene.store, scene.project_pk))
    # labels Stroma, Stroma + Tumor, Tumor; a1 agrees (one label), a2 Tumor vs Stroma
    assert doc["confusion"][0]["labels"] == ["Stroma", "Stroma + Tumor", "Tumor"]
    assert doc["confusion"][0]["matrix"] == [[0, 0, 0], [0, 1, 0], [1, 0, 0]]
    # p_o = 1/2; p_e = (a: S+T 1/2, T 1/2; b: S 1/2, S+T 1/2) = 1/2*1/2 = 1/4 -> 1/3
    assert doc["pairs"][0]["term_kappa"] == pytest.approx(1 / 3)
