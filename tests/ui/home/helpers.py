"""Helpers of the home tests: a SciTran hierarchy made over the API, the CLI as a user."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from tests.server.harness import ROOT, Server, cli_command


def make_hierarchy(server: Server, world: dict[str, Any], slide: Path, tag: str) -> dict[str, Any]:
    """group → the world's project → subject/session → acquisition (a slide file and a
    report), an analysis, a note and alice's collection, all made by alice (admin)."""
    a = server.client("alice")
    gid = a.post("/api/groups", {"_id": f"lab-{tag}", "label": f"Pathology lab {tag}"}).json()[
        "_id"
    ]
    pid = str(world["project"])
    r = a.put(f"/api/projects/{pid}", {"group": gid, "tags": ["cohort-A"], "info": {"site": "L"}})
    assert r.status_code == 200, r.text
    subject = {"code": "S-001", "firstname": "Jean", "lastname": "Dupont", "sex": "male"}
    session = a.post(
        "/api/sessions",
        {
            "project": pid,
            "label": "Case 1",
            "uid": "LIS-1",
            "timestamp": "2024-03-01T09:30:00Z",
            "timezone": "Europe/Brussels",
            "subject": subject,
            "tags": ["urgent"],
        },
    ).json()["_id"]
    acq = a.post(
        "/api/acquisitions",
        {
            "session": session,
            "label": "H&E scan",
            "uid": "BC-0001",
            "timestamp": "2024-03-02T11:00:00Z",
            "timezone": "Europe/Brussels",
            "info": {"stain": "H&E"},
        },
    ).json()["_id"]
    with open(slide, "rb") as f:
        r = a.post(f"/api/acquisitions/{acq}/files", files={"file": ("scan.tiff", f)})
    assert r.status_code == 200, r.text
    r = a.post(f"/api/acquisitions/{acq}/files", files={"file": ("report.txt", b"grade 2\n")})
    assert r.status_code == 200, r.text
    analysis = a.post(
        "/api/analyses",
        {"parent": {"type": "acquisition", "id": acq}, "label": "segmentation", "version": "1"},
    ).json()["_id"]
    a.post(f"/api/sessions/{session}/notes", {"text": "check the margins"})
    col = a.post("/api/collections", {"label": f"teaching {tag}"}).json()["_id"]
    r = a.put(
        f"/api/collections/{col}",
        {"contents": {"operation": "add", "nodes": [{"level": "acquisition", "_id": acq}]}},
    )
    assert r.status_code == 200, r.text
    return {
        "group": gid,
        "project": pid,
        "session": session,
        "acquisition": acq,
        "analysis": analysis,
        "collection": col,
    }


def run_cli(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [*cli_command(), "--data-dir", str(data), *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        env=dict(os.environ),
        timeout=180,
    )
    if check:
        assert out.returncode == 0, out.stderr
    return out


def login(data: Path, server: Server, who: str) -> None:
    k = server.users[who]
    run_cli(
        data,
        "login",
        "--server",
        server.base,
        "--public-key",
        k.publicKey,
        "--private-key",
        k.privateKey,
    )


def upload_images(server: Server, world: dict[str, Any], slide: Path, names: list[str]) -> None:
    """More images in the world's project, uploaded by alice as a user would."""
    a = server.client("alice")
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    for name in names:
        with open(slide, "rb") as f:
            r = a.post(
                "/upload",
                params={"storage": storage, "projects": world["project"]},
                files={"files[]": (name, f)},
            )
        assert r.status_code == 200, r.text
