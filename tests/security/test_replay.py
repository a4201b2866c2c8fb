"""Issue 11 finding 1: captured signatures must not be valid forever, on any path and
with any body.  Default server: the date is checked (15 min) and Content-MD5 is checked
against the body; ``--require-path-signature``: only the layout that covers the path."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
import requests

from desktop_app.server.hmac_auth import sign
from desktop_app.sync.http import ClientError, CytomineClient
from tests.server.harness import Keys, Server, running_server


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


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """HTTPS with a certificate made now, and ``--require-path-signature``."""
    tmp = tmp_path_factory.mktemp("strict")
    cert, key = _self_signed(tmp)
    args = ["--require-path-signature", "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]
    with running_server("sqlite", tmp, {"alice": "user"}, args, tls_ca=cert) as srv:
        srv.ca = cert  # type: ignore[attr-defined]
        yield srv


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


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made now with the ``cryptography`` package."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


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
        env={**os.environ, "REQUESTS_CA_BUNDLE": str(cert)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "logged in" in done.stdout
