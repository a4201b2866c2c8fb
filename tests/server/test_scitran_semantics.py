"""SciTran behaviours scitran/core's suite relies on, checked on our own data (issue 18).

Every session has a subject; only sessions have subject info; beside the vendored
suite (test_scitran_core_suite.py), which shows the same through SciTran's own tests.
"""

from __future__ import annotations

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
