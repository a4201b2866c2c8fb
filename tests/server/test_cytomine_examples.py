"""The official client's ``examples/`` scripts, run as documented against a live server.

Each script is the unchanged 4.3.0 file (tests/vendor/cytomine_client/examples), started
as a subprocess with its documented command-line options; the test then checks what it
printed, wrote or changed.  One real slide is uploaded by ``upload_image.py`` itself.

Not run: ``add_imagegroup.py`` (its ``from models import …`` fails before any request)
and ``import_datasets.py`` (needs a Cytomine PIMS image server).  ``add_annotation_links.py``
runs; its listing step asks for a hard-coded project 682669 of the authors' server and
so lists nothing, as it would on any other server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.harness import Keys, Server

EXAMPLES = Path(__file__).resolve().parents[1] / "vendor" / "cytomine_client" / "examples"


def run_example(server: Server, keys: Keys, name: str, *args: object, legacy: bool = False) -> str:
    """Run one example; ``legacy`` for the two scripts whose options lack the prefix."""
    prefix = "--" if legacy else "--cytomine_"
    cmd = [
        sys.executable,
        str(EXAMPLES / name),
        f"{prefix}host",
        server.base,
        f"{prefix}public_key",
        keys.publicKey,
        f"{prefix}private_key",
        keys.privateKey,
        *(str(a) for a in args),
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=EXAMPLES)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{name} failed:\n{out[-3000:]}"
    return out


@pytest.fixture(scope="module")
def demo(server: Server, slide_path: Path) -> dict[str, int]:
    """alice's project with an ontology, and the slide uploaded by upload_image.py."""
    a = server.client("alice")
    onto = a.post("/api/ontology.json", {"name": "examples"}).json()["ontology"]["id"]
    terms = [
        a.post("/api/term.json", {"name": n, "ontology": onto, "color": "#FF0000"}).json()["term"][
            "id"
        ]
        for n in ("roi", "cell")
    ]
    project = a.post("/api/project.json", {"name": "examples", "ontology": onto}).json()
    pid = project["project"]["id"]
    out = run_example(
        server,
        server.users["alice"],
        "upload_image.py",
        "--cytomine_id_project",
        pid,
        "--filepath",
        slide_path,
    )
    assert "uploadedfile" in out.lower()
    images = a.get(f"/api/project/{pid}/imageinstance.json").json()["collection"]
    assert len(images) == 1
    return {"project": pid, "image": images[0]["id"], "roi": terms[0], "cell": terms[1]}


def test_annotation_examples(server: Server, demo: dict[str, int], tmp_path: Path) -> None:
    alice = server.users["alice"]
    pid, image = demo["project"], demo["image"]
    out = run_example(
        server,
        alice,
        "add_annotation.py",
        "--cytomine_id_project",
        pid,
        "--cytomine_id_image_instance",
        image,
        "--cytomine_id_term",
        demo["roi"],
    )
    assert "POLYGON" in out or "Annotation" in out
    a = server.client("alice")
    roi = a.post(
        "/api/annotation.json",
        {
            "image": image,
            "location": "POLYGON ((300 300, 600 300, 600 600, 300 600, 300 300))",
            "term": [demo["roi"]],
        },
    ).json()["annotation"]["id"]
    for wkt in ("POINT (350 350)", "POINT (400 500)", "POINT (550 550)", "POINT (700 700)"):
        a.post("/api/annotation.json", {"image": image, "location": wkt, "term": [demo["cell"]]})
    out = run_example(
        server,
        alice,
        "get_included_annotations.py",
        "--cytomine_id_image_instance",
        image,
        "--cytomine_id_roi_term",
        demo["roi"],
        "--cytomine_id_object_term",
        demo["cell"],
    )
    assert f"included in ROI {roi}: 3" in out, out
    out = run_example(
        server,
        alice,
        "get_annotations.py",
        "--cytomine_id_project",
        pid,
        "--download_path",
        tmp_path,
    )
    assert "WKT: POINT (350 350)" in out
    for kind, ext in (("crop", "jpg"), ("mask", "jpg"), ("alpha", "png")):
        assert (tmp_path / str(pid) / kind / f"{roi}.{ext}").stat().st_size > 0
    run_example(server, alice, "get_annotations_bbox.py", "--cytomine_id_project", pid)
    run_example(
        server,
        alice,
        "add_properties.py",
        "--cytomine_id_project",
        pid,
        "--cytomine_id_image_instance",
        image,
        "--cytomine_id_annotation",
        roi,
        "--key",
        "score",
        "--value",
        "1",
    )
    props = a.get(f"/api/annotation/{roi}/property.json").json()["collection"]
    assert ("score", "1") in [(p["key"], p["value"]) for p in props]
    before = a.get("/api/annotation.json", params={"image": image}).json()["size"]
    run_example(
        server,
        alice,
        "delete_annotations.py",
        "--cytomine_id_image_instance",
        image,
        "--cytomine_id_user",
        alice.id,
        "--cytomine_id_project",
        pid,
    )
    after = a.get("/api/annotation.json", params={"image": image}).json()["size"]
    assert before > 0 and after == 0


def test_image_and_metadata_examples(server: Server, demo: dict[str, int]) -> None:
    alice, root = server.users["alice"], server.users["root"]
    pid, image = demo["project"], demo["image"]
    a = server.client("alice")
    run_example(
        server,
        alice,
        "calibrate_image.py",
        "--id_image",
        image,
        "--resolution",
        "0.25",
        "--magnification",
        "20",
        legacy=True,
    )
    base = a.get(f"/api/imageinstance/{image}.json").json()["baseImage"]
    calibrated = a.get(f"/api/abstractimage/{base}.json").json()
    assert (calibrated["physicalSizeX"], calibrated["magnification"]) == (0.25, 20)
    out = run_example(server, alice, "get_images.py", "--cytomine_id_project", pid)
    assert "1200" in out
    # add_imagegroup.py itself stops at its own "from models import ..." (an import that
    # only works inside the client's source tree); its calls, made here, work:
    group = a.post("/api/imagegroup.json", {"name": "GROUP", "project": pid}).json()
    gid = group["imagegroup"]["id"]
    assert a.post(f"/api/imagegroup/{gid}/imageinstance/{image}.json").status_code == 200
    members = a.get(f"/api/imagegroup/{gid}/imageinstance.json").json()["collection"]
    assert [m["id"] for m in members] == [image]
    tag = a.post("/api/tag.json", {"name": f"example-tag-{server.backend}"}).json()["tag"]
    out = run_example(
        server,
        alice,
        "add_tag.py",
        "--cytomine_id_image_instance",
        image,
        "--cytomine_id_tag",
        tag["id"],
    )
    assert f"- {tag['name']}" in out
    out = run_example(server, alice, "get_terms.py", "--cytomine_id_project", pid)
    assert "roi" in out and "cell" in out
    run_example(server, alice, "add_ontology.py")
    run_example(server, alice, "get_projects_paginator.py")
    run_example(server, root, "add_user.py")
    out = run_example(server, alice, "test.py")
    assert "alice" in out


def test_annotation_links_example(server: Server, demo: dict[str, int]) -> None:
    """Two images of one image group: the example groups and links one point on each."""
    alice = server.users["alice"]
    a = server.client("alice")
    pid, image = demo["project"], demo["image"]
    base = a.get(f"/api/imageinstance/{image}.json").json()["baseImage"]
    # two fresh instances of the slide, in no other image group
    image, image2 = (
        a.post("/api/imageinstance.json", {"baseImage": base, "project": pid}).json()[
            "imageinstance"
        ]["id"]
        for _ in range(2)
    )
    gid = a.post("/api/imagegroup.json", {"name": "pair", "project": pid}).json()["imagegroup"][
        "id"
    ]
    for i in (image, image2):
        assert a.post(f"/api/imagegroup/{gid}/imageinstance/{i}.json").status_code == 200
    out = run_example(
        server,
        alice,
        "add_annotation_links.py",
        "--cytomine_id_project",
        pid,
        "--cytomine_id_image_instance1",
        image,
        "--cytomine_id_image_instance2",
        image2,
    )
    groups = a.get(f"/api/imagegroup/{gid}/annotationgroup.json").json()["collection"]
    assert len(groups) == 3, out
    links = a.get(f"/api/annotationgroup/{groups[0]['id']}/annotationlink.json").json()
    assert sorted(x["image"] for x in links["collection"]) == sorted([image, image2])
