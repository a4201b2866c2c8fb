"""SciTran behaviours scitran/core's suite relies on, checked on our own data (issue 18).

Every session has a subject and only sessions have subject info; the public (no
credentials) reads public containers and nothing else; an analysis is created with its
files in one multipart request and listed under its parent and its ancestors.  Beside
the vendored suite (test_scitran_core_suite.py), which shows the same through SciTran's
own tests.
"""

from __future__ import annotations

import json

import requests

from tests.server.harness import Server


def test_every_session_has_a_subject(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    pid = str(world["project"])
    sid = a.post("/api/sessions", {"project": pid, "label": "no subject given"}).json()["_id"]
    subject = a.get(f"/api/sessions/{sid}").json()["subject"]
    assert subject["_id"] and subject["code"] is None
    assert a.get(f"/api/sessions/{sid}/subject").json()["_id"] == subject["_id"]
    # a new code is another subject; the project's subject of that code if there is one
    assert a.put(f"/api/sessions/{sid}", {"subject": {"code": "S-new"}}).ok
    moved = a.get(f"/api/sessions/{sid}").json()["subject"]
    assert moved["_id"] != subject["_id"] and moved["code"] == "S-new"
    other = a.post("/api/sessions", {"project": pid, "subject": {"code": "S-new"}}).json()["_id"]
    assert a.get(f"/api/sessions/{other}").json()["subject"]["_id"] == moved["_id"]
    # subject info is a session's; elsewhere 400 (SciTran's answer)
    assert a.post(f"/api/sessions/{sid}/subject/info", {"set": {"k": 1}}).ok
    listed = next(s for s in a.get("/api/sessions").json() if s["_id"] == sid)
    assert listed["subject"]["info_exists"] is True and listed["subject"]["info"] == {}
    acq = a.post("/api/acquisitions", {"session": sid, "label": "a"}).json()["_id"]
    col = a.post("/api/collections", {"label": "subject-less"}).json()["_id"]
    for kind, cid in (("projects", pid), ("acquisitions", acq), ("collections", col)):
        r = a.post(f"/api/{kind}/{cid}/subject/info", {"set": {"k": 1}})
        assert r.status_code == 400, (kind, r.text)
    # a reader is refused before: 403
    r = server.client("carol").post(f"/api/projects/{pid}/subject/info", {"set": {"k": 1}})
    assert r.status_code == 403


def test_the_public_reads_public_containers_only(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    pub = a.post("/api/projects", {"label": f"open-{server.backend}", "public": True}).json()
    pub_id, private = pub["_id"], str(world["project"])
    s_pub = a.post(
        "/api/sessions",
        {"project": pub_id, "public": True, "subject": {"code": "P", "firstname": "Jo"}},
    ).json()["_id"]
    s_priv = a.post("/api/sessions", {"project": pub_id, "public": False}).json()["_id"]
    anon = requests.Session()
    listed = anon.get(server.base + "/api/projects", params={"counts": "true"}).json()
    assert [p["_id"] for p in listed] == [pub_id]  # never the private world project
    assert listed[0]["permissions"] == [] and listed[0]["session_count"] == 2
    detail = anon.get(f"{server.base}/api/sessions/{s_pub}")
    assert detail.status_code == 200 and "firstname" not in detail.json()["subject"]
    assert "firstname_hash" not in detail.json()["subject"]
    sessions = anon.get(f"{server.base}/api/projects/{pub_id}/sessions").json()
    assert [s["_id"] for s in sessions] == [s_pub]
    for path in (
        f"/api/sessions/{s_priv}",
        f"/api/projects/{private}",
        f"/api/projects/{private}/sessions",
        f"/api/projects/{pub_id}/files",
    ):
        r = anon.get(server.base + path)
        assert r.status_code == 403 and "Jo" not in r.text, path

    # analyses are public where their parent is: under the public session, not the other
    def analysis(parent: str) -> str:
        body = {"parent": {"type": "session", "id": parent}, "label": "an"}
        return str(a.post("/api/analyses", body).json()["_id"])

    on_pub, on_priv = analysis(s_pub), analysis(s_priv)
    public_analyses = [x["_id"] for x in anon.get(server.base + "/api/analyses").json()]
    assert on_pub in public_analyses and on_priv not in public_analyses
    # a signed-in non-member reads a public container as the public does
    bob = server.client("bob")
    assert bob.get(f"/api/sessions/{s_pub}").status_code == 200
    assert bob.get(f"/api/sessions/{s_priv}").status_code == 403
    # reads only: a write without credentials stays refused
    assert anon.put(f"{server.base}/api/projects/{pub_id}", json={"label": "x"}).status_code == 403
    assert anon.get(f"{server.base}/api/sessions/999999").status_code == 404


def test_analysis_with_its_files_in_one_request(server: Server, world: dict[str, int]) -> None:
    a, carol = server.client("alice"), server.client("carol")
    pid = str(world["project"])
    sid = a.post("/api/sessions", {"project": pid, "label": "with analysis"}).json()["_id"]
    acq = a.post("/api/acquisitions", {"session": sid, "label": "a"}).json()["_id"]
    meta = {"label": "segm", "inputs": [{"name": "in.csv", "info": {"k": 1}}]}
    files = {
        "file1": ("in.csv", b"1,2\n"),
        "file2": ("out.csv", b"3,4\n"),
        "metadata": ("", json.dumps(meta)),
    }
    made = a.post(f"/api/acquisitions/{acq}/analyses", files=files)
    assert made.status_code == 200, made.text
    aid = made.json()["_id"]
    got = a.get(f"/api/analyses/{aid}").json()
    assert got["label"] == "segm" and sorted(f["name"] for f in got["files"]) == [
        "in.csv",
        "out.csv",
    ]
    assert a.get(f"/api/analyses/{aid}/files/in.csv").content == b"1,2\n"
    # a reader may not create one; nothing of the refused request is kept
    refused = carol.post(f"/api/acquisitions/{acq}/analyses", files=files)
    assert refused.status_code == 403
    # analyses listed on their parent and below it
    own = a.post(f"/api/sessions/{sid}/analyses", {"label": "on session"}).json()["_id"]
    assert [x["_id"] for x in a.get(f"/api/sessions/{sid}/analyses").json()] == [own]
    below = a.get(f"/api/sessions/{sid}/acquisitions/analyses").json()
    assert [x["_id"] for x in below] == [aid]
    everything = {x["_id"] for x in a.get(f"/api/projects/{pid}/all/analyses").json()}
    assert {own, aid} <= everything
    assert a.get(f"/api/sessions/{sid}/projects/analyses").status_code == 400
    assert server.client("admin").get(f"/api/sessions/{sid}/analyses").status_code == 200
