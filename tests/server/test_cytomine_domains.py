"""Software/jobs (with UserJob identities), positions, connections, command history,
image groups and sequences, against the live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import time

from tests.server.harness import Client, Keys, Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"


def test_software_jobs_and_algo_annotations(server: Server, world: dict[str, int]) -> None:
    root, alice = server.client("root"), server.client("alice")
    assert alice.post("/api/software.json", {"name": "nope"}).status_code == 403
    sw = root.post(
        "/api/software.json", {"name": f"seg-{server.backend}", "softwareVersion": "1.0"}
    ).json()["software"]
    p = root.post(
        "/api/softwareparameter.json",
        {"software": sw["id"], "name": "threshold", "type": "Number", "defaultParamValue": "5"},
    )
    assert p.status_code == 200, p.text
    param = p.json()["softwareparameter"]
    assert (
        root.post(
            "/api/softwareparameter.json", {"software": sw["id"], "name": "x", "type": "Weird"}
        ).status_code
        == 400
    )
    params = alice.get(f"/api/software/{sw['id']}/parameter.json").json()["collection"]
    assert [x["name"] for x in params] == ["threshold"]
    link = alice.post(
        "/api/softwareproject.json", {"software": sw["id"], "project": world["project"]}
    )
    assert link.status_code == 200, link.text
    names = [
        s["name"]
        for s in alice.get(f"/api/project/{world['project']}/software.json").json()["collection"]
    ]
    assert sw["name"] in names
    r = alice.post(
        "/api/job.json",
        {
            "software": sw["id"],
            "project": world["project"],
            "params": [{"softwareParameter": param["id"], "value": "7"}],
        },
    )
    assert r.status_code == 200, r.text
    job = r.json()["job"]
    assert job["number"] == 1 and job["userJob"] and job["name"].endswith(" : 1")
    assert job["jobParameters"][0]["value"] == "7"
    assert alice.put(f"/api/job/{job['id']}.json", {"status": 42}).status_code == 400
    assert (
        server.client("carol").get(f"/api/userJob/{job['userJob']}.json").json().get("privateKey")
        is None
    )
    uj = alice.get(f"/api/userJob/{job['userJob']}.json").json()
    keys = Keys(uj["id"], uj["username"], uj["publicKey"], uj["privateKey"])
    bot = Client(server.base, keys)
    made = bot.post("/api/annotation.json", {"image": world["image"], "location": SQUARE})
    assert made.status_code == 200, made.text
    ann = made.json()["annotation"]
    assert ann["class"].endswith("AlgoAnnotation"), ann["class"]
    tpl = alice.post(
        "/api/jobtemplate.json", {"name": "t", "software": sw["id"], "project": world["project"]}
    )
    assert tpl.status_code == 200, tpl.text
    listed = alice.get("/api/jobtemplate.json", params={"project": world["project"]}).json()
    assert tpl.json()["jobtemplate"]["id"] in [t["id"] for t in listed["collection"]]
    assert alice.delete(f"/api/job/{job['id']}.json").status_code == 200
    assert bot.get("/api/project.json").status_code == 401  # identity disabled


def test_positions_and_connections(server: Server, world: dict[str, int]) -> None:
    bob, img = server.client("bob"), world["image"]
    body = {
        "topLeftX": 0,
        "topLeftY": 900,
        "topRightX": 400,
        "topRightY": 900,
        "bottomRightX": 400,
        "bottomRightY": 500,
        "bottomLeftX": 0,
        "bottomLeftY": 500,
        "zoom": 2,
        "rotation": 0,
    }
    r = bob.post(f"/api/imageinstance/{img}/position.json", body)
    assert r.status_code == 200, r.text
    pos = r.json()
    assert (pos["x"], pos["y"], pos["zoom"]) == (200, 700, 2)
    assert bob.get(f"/api/imageinstance/{img}/position.json").json()["x"] == 200
    assert (
        server.users["bob"].id in bob.get(f"/api/imageinstance/{img}/online.json").json()["users"]
    )
    hist = bob.get(f"/api/imageinstance/{img}/positions.json").json()["collection"]
    assert hist and hist[0]["location"].startswith("POLYGON")
    assert bob.post(f"/api/imageinstance/{img}/position.json", {"zoom": 1}).status_code == 400
    c = bob.post(f"/api/project/{world['project']}/userconnection.json", {"os": "Linux"})
    assert c.status_code == 200 and c.json()["os"] == "Linux"
    lst = bob.get(
        f"/api/project/{world['project']}/userconnection/{server.users['bob'].id}.json"
    ).json()["collection"]
    assert lst and lst[0]["project"] == world["project"]


def test_command_history(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    start = int(time.time() * 1000) - 1000
    t = a.post(
        "/api/term.json",
        {"name": f"h-{time.time()}", "color": "#123456", "ontology": world["ontology"]},
    )
    assert t.status_code == 200
    rows = a.get(
        f"/api/project/{world['project']}/commandhistory.json",
        params={"startDate": start, "fullData": "true"},
    ).json()
    assert isinstance(rows, list) and rows
    assert {
        "id",
        "created",
        "message",
        "prefixAction",
        "user",
        "project",
        "data",
        "className",
        "serviceName",
    } <= set(rows[0])
    assert a.get("/api/commandhistory.json", params={"endDate": 1}).json() == []
    assert a.get("/api/commandhistory.json", params={"startDate": "x"}).status_code == 400
    assert server.client("guest").get("/api/commandhistory.json").status_code == 200


def test_image_groups_and_sequences(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    g = a.post("/api/imagegroup.json", {"name": "stack", "project": world["project"]})
    assert g.status_code == 200, g.text
    gid = g.json()["imagegroup"]["id"]
    s = a.post(
        "/api/imagesequence.json",
        {
            "imageGroup": gid,
            "image": world["image"],
            "channel": 1,
            "zStack": 2,
            "slice": 0,
            "time": 3,
        },
    )
    assert s.status_code == 200, s.text
    seqs = a.get(f"/api/imagegroup/{gid}/imagesequence.json").json()["collection"]
    assert (seqs[0]["channel"], seqs[0]["zStack"], seqs[0]["time"]) == (1, 2, 3)
    one = a.get(f"/api/imagegroup/{gid}/1/2/0/3/imagesequence.json").json()
    assert one["image"] == world["image"]
    groups = a.get(f"/api/project/{world['project']}/imagegroup.json").json()["collection"]
    assert [x["numberOfImages"] for x in groups if x["id"] == gid] == [1]
    assert (
        server.client("carol")
        .post("/api/imagegroup.json", {"name": "x", "project": world["project"]})
        .status_code
        == 403
    )
