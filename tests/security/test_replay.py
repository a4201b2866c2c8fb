"""Issue 11 finding 1: captured signatures must not be valid forever, on any path and
with any body.  Default server: the date is checked (15 min) and Content-MD5 is checked
against the body; ``--require-path-signature``: only the layout that covers the path."""

from __future__ import annotations

import base64
import hashlib
import json
from email.utils import formatdate
from pathlib import Path

import pytest
import requests

from desktop_app.server.hmac_auth import sign
from desktop_app.sync.transport.http import ClientError, CytomineClient, Offline
from tests.server.harness import Keys, Server, dies_with_test_run


def signed(
    srv: Server,
    keys: Keys,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    date: str | None = None,
    md5: str = "",
    with_path: bool = False,
) -> requests.Response:
    """A request signed by hand, so a test can replay or tamper with its parts."""
    date = date or formatdate(usegmt=True)
    ctype = "application/json" if body else ""
    token = f"{method}\n{md5}\n{ctype}\n{date}" + (f"\n{path}" if with_path else "")
    headers = {
        "date": date,
        "authorization": f"CYTOMINE {keys.publicKey}:{sign(keys.privateKey, token)}",
    }
    if ctype:
        headers["content-type"] = ctype
    if md5:
        headers["content-md5"] = md5
    verify = str(getattr(srv, "ca", "")) or True
    return requests.request(
        method, srv.base + path, data=body, headers=headers, timeout=30, verify=verify
    )


def md5_of(body: bytes) -> str:
    return base64.b64encode(hashlib.md5(body).digest()).decode()


def test_old_date_is_refused(sec_server: Server) -> None:
    alice = sec_server.users["alice"]
    old = "Mon, 01 Jan 2024 10:00:00 GMT"
    r = signed(sec_server, alice, "GET", "/api/user/current.json", date=old)
    assert r.status_code == 401 and alice.privateKey not in r.text
    assert "date" in r.json()["errors"].lower()
    skewed = formatdate(__import__("time").time() - 20 * 60, usegmt=True)
    assert (
        signed(sec_server, alice, "GET", "/api/user/current.json", date=skewed).status_code == 401
    )
    assert signed(sec_server, alice, "GET", "/api/user/current.json").status_code == 200


def test_captured_post_cannot_carry_another_body(sec_server: Server) -> None:
    alice = sec_server.users["alice"]
    body = json.dumps({"name": "original"}).encode()
    md5 = md5_of(body)
    date = formatdate(usegmt=True)
    first = signed(sec_server, alice, "POST", "/api/project.json", body, date=date, md5=md5)
    assert first.status_code == 200, first.text
    evil = json.dumps({"name": "replayed with a new body"}).encode()
    r = signed(sec_server, alice, "POST", "/api/project.json", evil, date=date, md5=md5)
    assert r.status_code == 400 and "Content-MD5" in r.json()["errors"]
    names = [
        p["name"] for p in sec_server.client("alice").get("/api/project.json").json()["collection"]
    ]
    assert "replayed with a new body" not in names
    bad = signed(sec_server, alice, "POST", "/api/project.json", body, md5="not base64!")
    assert bad.status_code == 400


def test_require_path_signature(strict_server: Server) -> None:
    alice = strict_server.users["alice"]
    assert signed(strict_server, alice, "GET", "/api/user/current.json").status_code == 401
    ok = signed(strict_server, alice, "GET", "/api/user/current.json", with_path=True)
    assert ok.status_code == 200
    # a GET signature captured for one path is refused on another
    date = formatdate(usegmt=True)
    token = f"GET\n\n\n{date}\n/api/project.json"
    headers = {
        "date": date,
        "authorization": f"CYTOMINE {alice.publicKey}:{sign(alice.privateKey, token)}",
    }
    ca = str(strict_server.ca)  # type: ignore[attr-defined]
    url = strict_server.base
    assert requests.get(url + "/api/project.json", headers=headers, timeout=10, verify=ca).ok
    stolen = requests.get(url + "/api/user/current.json", headers=headers, timeout=10, verify=ca)
    assert stolen.status_code == 401
    # no public either: SciTran's anonymous reads need an unsigned request
    assert requests.get(url + "/api/projects", timeout=10, verify=ca).status_code == 403


def test_sync_client_signs_path_and_body(
    strict_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(strict_server.ca))  # type: ignore[attr-defined]
    alice = strict_server.users["alice"]
    client = CytomineClient(strict_server.base, alice.publicKey, alice.privateKey)
    try:
        assert client.current_user()["username"] == "alice"
        made = client.post("/api/project.json", {"name": "from-sync"})
        pid = made["project"]["id"]
        assert client.get(f"/api/project/{pid}.json")["name"] == "from-sync"
        assert client.collection("/api/project.json")
        with pytest.raises(ClientError) as err:
            client.post("/api/project.json", {"name": ""})
        assert err.value.status == 400
    finally:
        client.close()
    sent = requests.Request("POST", strict_server.base + "/api/x.json?a=1", data=b"{}")
    prepared = sent.prepare()
    CytomineClient(strict_server.base, alice.publicKey, alice.privateKey).auth(prepared)
    assert prepared.headers["Content-MD5"] == md5_of(b"{}")


def test_tls_and_login_with_a_ca_bundle(strict_server: Server, tmp_path: Path) -> None:
    """``workstation server --ssl-certfile/--ssl-keyfile``; ``workstation login`` trusts
    it through ``REQUESTS_CA_BUNDLE`` (an unknown certificate is refused)."""
    import os
    import subprocess

    from tests.server.harness import ROOT, cli_command

    srv, cert = strict_server, strict_server.ca  # type: ignore[attr-defined]
    assert srv.base.startswith("https://")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(srv.base + "/server/ping", timeout=10)
    alice = srv.users["alice"]
    untrusting = CytomineClient(srv.base, alice.publicKey, alice.privateKey)
    with pytest.raises(Offline) as err:
        untrusting.current_user()
    untrusting.close()
    assert "not trusted" in str(err.value) and "REQUESTS_CA_BUNDLE" in str(err.value)
    done = subprocess.run(
        [
            *cli_command(),
            "--data-dir",
            str(tmp_path / "desk"),
            "login",
            "--server",
            srv.base,
            "--public-key",
            alice.publicKey,
            "--private-key",
            alice.privateKey,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=dies_with_test_run(),
        env={**os.environ, "REQUESTS_CA_BUNDLE": str(cert)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "logged in" in done.stdout
