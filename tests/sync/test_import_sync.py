"""``workstation import`` with QuPath classes, then ``workstation sync``: the classes reach
the server as terms (real commands as subprocesses, real server, real cache)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from desktop_app.services.geojson_io import export_features
from desktop_app.store import edits
from tests.sync.helpers import draw, local_image, local_term, square
from tests.sync.test_cli import _login, _run


def _feature(wkt_square: tuple[float, float], name: str | None) -> dict[str, Any]:
    x, y = wkt_square
    props: dict[str, Any] = {"objectType": "annotation"}
    if name is not None:
        props["classification"] = {"name": name, "color": [200, 0, 0]}
    ring = [[x, y], [x + 40, y], [x + 40, y + 40], [x, y + 40], [x, y]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": props,
    }


def test_imported_classes_reach_the_server_as_terms(
    server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    data, p = tmp_path / "data", world["project"]
    _login(data, server)
    _run(data, "sync", "--project", str(p), check=True)
    features = [
        _feature((10, 10), "tumor"),  # a term the project's ontology has
        _feature((60, 10), "stroma"),
        _feature((110, 10), "fat"),  # a class the ontology lacks: a new term
        _feature((160, 10), None),  # no class: no term
    ]
    geojson = tmp_path / "f.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out = _run(data, "import", str(world["image"]), str(geojson), check=True)
    assert "imported 4 annotations" in out.stdout
    out = _run(data, "sync", "--project", str(p), "--json", check=True)
    summary = json.loads(out.stdout)
    assert summary["ok"] and summary["pending"] == 0, summary
    terms = {
        t["id"]: t["name"]
        for t in server.client("alice")
        .get(f"/api/ontology/{world['ontology']}/term.json")
        .json()["collection"]
    }
    body = (
        server.client("alice")
        .get(f"/api/project/{p}/annotations/bulk.json", params={"since": 0})
        .json()
    )
    got = sorted(
        (r["location"] is not None, sorted(terms[t] for t in r["term"]))
        for r in body["annotations"]
    )
    assert got == sorted([(True, ["tumor"]), (True, ["stroma"]), (True, ["fat"]), (True, [])])
    # a second sync has nothing left to say, and the cache is consistent
    again = json.loads(_run(data, "sync", "--project", str(p), "--json", check=True).stdout)
    assert again["pushed"] == 0 and again["pending"] == 0


def test_doctor_finds_and_repairs_an_import_made_before_the_fix(
    server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    data, p = tmp_path / "data", world["project"]
    _login(data, server)
    _run(data, "sync", "--project", str(p), check=True)
    assert _run(data, "doctor", check=True).stdout.splitlines()[-1].startswith("healthy")
    geojson = tmp_path / "f.geojson"
    features = [_feature((10, 10), "tumor"), _feature((60, 10), "stroma")]
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    _run(data, "import", str(world["image"]), str(geojson), check=True)
    # what an import by an older version left behind: term links with no queued op
    conn = sqlite3.connect(data / "cache.sqlite")
    with conn:
        conn.execute("DELETE FROM command_log WHERE kind = 'add_term'")
    conn.close()
    found = _run(data, "doctor")
    assert found.returncode == 1, found.stdout
    assert (
        "2 terms on annotations: marked as waiting for the server, but no sync would send it"
        in (found.stdout)
    )
    assert "workstation doctor --repair" in found.stdout
    as_json = json.loads(_run(data, "doctor", "--json").stdout)
    assert as_json["ok"] is False and len(as_json["problems"]) == 2
    assert {x["table"] for x in as_json["problems"]} == {"annotation_term"}
    fixed = _run(data, "doctor", "--repair")
    assert fixed.returncode == 0 and "repaired: 2 change(s) queued" in fixed.stdout, fixed.stdout
    assert json.loads(_run(data, "sync", "--project", str(p), "--json", check=True).stdout)["ok"]
    body = (
        server.client("alice")
        .get(f"/api/project/{p}/annotations/bulk.json", params={"since": 0})
        .json()
    )
    assert sorted(len(r["term"]) for r in body["annotations"]) == [1, 1]


def test_the_same_annotation_exports_identically_on_two_machines(
    server: Any, world: dict[str, Any], devices: Any
) -> None:
    p, (t1, t2, _t3) = world["project"], world["terms"]
    a, b = devices["new"]("a", "alice"), devices["new"]("b", "bob")
    assert a.sync([p]).ok and b.sync([p]).ok
    ann = draw(a, world["image"], square(100, 100), [t2])  # stroma first, tumor second
    with a.store.unit_of_work(user_pk=a.me()) as uow:
        edits.toggle_term(uow, [ann.pk], local_term(a.store, t1), a.me())
        edits.set_property(uow, ann.pk, "grade", "3")
        edits.set_property(uow, ann.pk, "note", "hot spot")
        edits.set_description(uow, ann.pk, "<p>see 40x</p>")
    assert a.sync([p]).ok
    assert b.sync([p]).ok
    mine = export_features(a.store, local_image(a.store, world["image"]))
    theirs = export_features(b.store, local_image(b.store, world["image"]))
    assert json.dumps(mine) == json.dumps(theirs)
    (feature,) = mine["features"]
    assert feature["properties"]["classification"]["names"] == ["stroma", "tumor"]
    assert feature["properties"]["measurements"] == {"grade": 3}
    assert feature["properties"]["metadata"] == {"note": "hot spot"}
    assert feature["properties"]["description"] == "<p>see 40x</p>"
