"""``workstation projects | tree | checkout`` as a user runs them, against the real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.ui.home.helpers import login, run_cli


def _find(nodes: list[dict[str, Any]], kind: str, ident: Any) -> dict[str, Any]:
    for n in nodes:
        if n["type"] == kind and str(n["id"]) == str(ident):
            return n
        try:
            return _find(n["children"], kind, ident)
        except LookupError:
            continue
    raise LookupError(f"{kind} {ident}")


def test_projects_and_tree_after_sync_per_role(
    server: Any, world: dict[str, Any], hierarchy: dict[str, Any], tmp_path: Path
) -> None:
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    for data, who in ((alice, "alice"), (bob, "bob")):
        login(data, server, who)
        run_cli(data, "sync")
    projects = json.loads(run_cli(bob, "projects", "--json").stdout)
    mine = [p for p in projects if p["id"] == world["project"]]
    assert len(mine) == 1
    p = mine[0]
    assert {"id", "uid", "name", "images", "annotations", "reviewed", "role", "offline"} <= set(p)
    assert p["images"] == 1 and p["role"] == "rw" and p["offline"] == 0
    assert [
        q["role"]
        for q in json.loads(run_cli(alice, "projects", "--json").stdout)
        if q["id"] == world["project"]
    ] == ["admin"]

    tree = json.loads(run_cli(alice, "tree", "--json").stdout)
    group = _find(tree, "group", hierarchy["group"])
    project = _find(group["children"], "project", hierarchy["project"])
    assert project["tags"] == ["cohort-A"] and project["info"] == {"site": "L"}
    subject = project["children"][0]
    assert subject["type"] == "subject" and subject["firstname"] == "Jean"
    session = subject["children"][0]
    assert session["id"] == int(hierarchy["session"])
    assert session["timestamp"].startswith("2024-03-01T09:30:00")
    assert session["timezone"] == "Europe/Brussels" and session["tags"] == ["urgent"]
    assert session["notes"] == [
        {
            "text": "check the margins",
            "user": "alice",
            **{k: session["notes"][0][k] for k in ("id", "uid", "created", "pending")},
        }
    ]
    acq = session["children"][0]
    assert acq["type"] == "acquisition" and acq["info"] == {"stain": "H&E"}
    assert sorted(f["name"] for f in acq["files"]) == ["report.txt", "scan.tiff"]
    report = [f for f in acq["files"] if f["name"] == "report.txt"][0]
    assert report["size"] == 8 and set(report) >= {"name", "type", "size", "modality"}
    assert [c["type"] for c in acq["children"]] == ["analysis"]
    collection = _find(tree, "collection", hierarchy["collection"])
    assert [c["id"] for c in collection["children"]] == [int(hierarchy["acquisition"])]

    # bob (rw) may not see names: the cache holds neither names nor hashes, and says so
    bob_tree = json.loads(run_cli(bob, "tree", "--json").stdout)
    bob_subject = _find(bob_tree, "project", hierarchy["project"])["children"][0]
    assert bob_subject["firstname"] is None and bob_subject["lastname"] is None
    assert len(bob_subject["firstname_hash"] or "") != 64 and bob_subject["names_hidden"]
    assert "Jean" not in (bob / "cache.sqlite").read_bytes().decode("latin-1")
    assert "names hidden" in run_cli(bob, "tree").stdout
    assert all(n["type"] != "collection" for n in bob_tree)  # alice's, not shared


def test_checkout_files_then_offline(server: Any, world: dict[str, Any], tmp_path: Path) -> None:
    data = tmp_path / "bob"
    login(data, server, "bob")
    out = run_cli(data, "checkout", str(world["project"]), "--images", "all")
    assert "1 image(s), files" in out.stderr and "[" in out.stderr  # the progress bar
    projects = json.loads(run_cli(data, "projects", "--json").stdout)
    assert [p["offline"] for p in projects if p["id"] == world["project"]] == [1]
    files = list((data / "slides").rglob("*.tiff"))
    assert len(files) == 1
    again = run_cli(data, "checkout", str(world["project"]), "--files")
    assert again.returncode == 0


def test_checkout_tiles_and_bad_input(server: Any, world: dict[str, Any], tmp_path: Path) -> None:
    data = tmp_path / "carol"
    login(data, server, "carol")
    out = run_cli(data, "checkout", str(world["project"]), "--tiles-to", "2.5")
    assert "tiles down to 2.5x" in out.stderr and "tiles fetched" in out.stderr
    projects = json.loads(run_cli(data, "projects", "--json").stdout)
    assert [p["offline"] for p in projects if p["id"] == world["project"]] == [1]
    bad = run_cli(data, "checkout", str(world["project"]), "--images", "x1", check=False)
    assert bad.returncode == 2 and "--images takes" in bad.stderr
    missing = run_cli(data, "checkout", "no-such-project", check=False)
    assert missing.returncode == 2 and "no project" in missing.stderr


def test_file_download_refused_by_the_project_points_to_tiles(
    server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    """A project that keeps its slide files on the server (areImagesDownloadable off, as
    one uploaded with ``sync --push-local``) refuses the file for good: retrying cannot
    help, keeping the tiles can, and both commands say so."""
    a = server.client("alice")
    project = a.get(f"/api/project/{world['project']}.json").json()
    r = a.put(f"/api/project/{world['project']}.json", {**project, "areImagesDownloadable": False})
    assert r.status_code == 200, r.text
    data = tmp_path / "dave"
    login(data, server, "dave")
    run_cli(data, "sync")
    out = run_cli(data, "checkout", str(world["project"]), "--files", check=False)
    assert out.returncode == 1
    assert "run again" not in out.stderr and "--tiles-to" in out.stderr
    # It says why nothing downloads before trying, not a size of "about 0 B".
    assert "0 B" not in out.stderr and "nothing would download" in out.stderr
    assert "not downloadable" in out.stderr and "set-downloadable" in out.stderr
    one = run_cli(data, "download", str(world["image"]), check=False)
    assert one.returncode == 1
    assert "run it again" not in one.stderr
    assert f"workstation download {world['image']} --tiles" in one.stderr


def test_a_project_admin_allows_downloads_from_the_command_line(
    server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    a = server.client("alice")
    project = a.get(f"/api/project/{world['project']}.json").json()
    r = a.put(f"/api/project/{world['project']}.json", {**project, "areImagesDownloadable": False})
    assert r.status_code == 200, r.text
    alice, dave = tmp_path / "alice", tmp_path / "dave"
    login(alice, server, "alice")
    login(dave, server, "dave")
    run_cli(dave, "sync")
    rows = json.loads(run_cli(dave, "projects", "--json").stdout)
    assert [p["downloadable"] for p in rows if p["id"] == world["project"]] == [False]
    refused = run_cli(
        dave, "projects", "set-downloadable", str(world["project"]), "yes", check=False
    )
    assert refused.returncode == 1 and "only the project's admins" in refused.stderr
    bad = run_cli(
        alice, "projects", "set-downloadable", str(world["project"]), "maybe", check=False
    )
    assert bad.returncode == 2 and "yes|no" in bad.stderr
    ok = run_cli(alice, "projects", "set-downloadable", str(world["project"]), "yes")
    assert "members may download the slide files" in ok.stdout
    assert a.get(f"/api/project/{world['project']}.json").json()["areImagesDownloadable"] is True
    rows = json.loads(run_cli(alice, "projects", "--json").stdout)
    assert [p["downloadable"] for p in rows if p["id"] == world["project"]] == [True]
    assert run_cli(dave, "checkout", str(world["project"]), "--files").returncode == 0
    off = run_cli(alice, "projects", "set-downloadable", str(world["project"]), "no")
    assert "stay on the server" in off.stdout
    assert a.get(f"/api/project/{world['project']}.json").json()["areImagesDownloadable"] is False


def test_a_project_admin_blinds_review_from_the_command_line(
    server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    """``projects set-blind`` changes the server's ``blindMode`` (project admins only);
    a reader's next sync brings it: their review is blinded, then not."""
    a = server.client("alice")
    url = f"/api/project/{world['project']}.json"
    assert a.get(url).json()["blindMode"] is False
    alice, dave = tmp_path / "alice", tmp_path / "dave"
    login(alice, server, "alice")
    login(dave, server, "dave")
    run_cli(dave, "sync")
    image = str(world["image"])
    assert json.loads(run_cli(dave, "review", image, "--json").stdout)["blinded"] is False
    refused = run_cli(dave, "projects", "set-blind", str(world["project"]), "yes", check=False)
    assert refused.returncode == 1 and "only the project's admins" in refused.stderr
    assert a.get(url).json()["blindMode"] is False  # the server refused the member
    bad = run_cli(alice, "projects", "set-blind", str(world["project"]), "maybe", check=False)
    assert bad.returncode == 2 and "yes|no" in bad.stderr
    on = run_cli(alice, "projects", "set-blind", str(world["project"]), "yes")
    assert "blinded review" in on.stdout
    assert a.get(url).json()["blindMode"] is True
    rows = json.loads(run_cli(alice, "projects", "--json").stdout)
    assert [p["blind"] for p in rows if p["id"] == world["project"]] == [True]
    run_cli(dave, "sync")
    assert json.loads(run_cli(dave, "review", image, "--json").stdout)["blinded"] is True
    # the admin is never blinded
    assert json.loads(run_cli(alice, "review", image, "--json").stdout)["blinded"] is False
    off = run_cli(alice, "projects", "set-blind", str(world["project"]), "no")
    assert "not blinded" in off.stdout and a.get(url).json()["blindMode"] is False
    run_cli(dave, "sync")
    assert json.loads(run_cli(dave, "review", image, "--json").stdout)["blinded"] is False
