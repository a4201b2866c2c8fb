"""One private server per backend (SQLite always, PostgreSQL when reachable) for the
security findings of issue 11: tests here disable users and change rights, so they do
not share the server of ``tests/server``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.harness import BACKENDS, Keys, Server, running_server, skip_unreachable
from tests.server.slide_fixture import make_slide

USERS = {
    "root": "superadmin",
    "root2": "superadmin",
    "admin": "admin",
    "alice": "user",
    "bob": "user",
    "carol": "user",
    "dave": "user",
    "guest": "guest",
}


@pytest.fixture(scope="session", params=BACKENDS)
def sec_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    backend = request.param
    skip_unreachable(backend)
    tmp = tmp_path_factory.mktemp(f"security-{backend}")
    with running_server(backend, tmp, {"root": "superadmin"}) as srv:
        add_users(srv, {k: v for k, v in USERS.items() if k != "root"})
        yield srv


def add_users(srv: Server, users: dict[str, str]) -> None:
    """Accounts made by ``root`` through the API (``add-user`` costs a process each)."""
    root = srv.client("root")
    for name, role in users.items():
        r = root.post("/api/user.json", {"username": name, "role": role})
        assert r.status_code == 200, r.text
        uid = r.json()["user"]["id"]
        keys = root.get(f"/api/user/{uid}/keys.json").json()
        srv.users[name] = Keys(uid, name, keys["publicKey"], keys["privateKey"])


@pytest.fixture(scope="session")
def sec_slide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slide(tmp_path_factory.mktemp("sec-slides") / "slide.tiff", 1200, 900)


def upload(srv: Server, who: str, slide: Path, project: int) -> dict[str, int]:
    c = srv.client(who)
    _, image = c.upload_slide(slide, project, "slide.tiff")
    return {"abstract": image["image"]["id"], "image": image["imageInstances"][0]["id"]}


@pytest.fixture(scope="session")
def sec_world(sec_server: Server, sec_slide: Path) -> dict[str, int]:
    """alice's project (ontology with two terms, one image): bob rw, carol ro, guest member;
    bob's own project and ontology."""
    a, b = sec_server.client("alice"), sec_server.client("bob")
    onto = a.post("/api/ontology.json", {"name": "alice-onto"}).json()["ontology"]["id"]
    term = a.post("/api/term.json", {"name": "tumor", "color": "#FF0000", "ontology": onto})
    project = a.post("/api/project.json", {"name": "alice-p", "ontology": onto}).json()
    pid = project["project"]["id"]
    users = sec_server.users
    assert a.post(f"/api/project/{pid}/user/{users['bob'].id}.json").ok
    assert a.post(f"/api/project/{pid}/user/{users['carol'].id}.json", params={"access": "ro"}).ok
    assert a.post(f"/api/project/{pid}/user/{users['guest'].id}.json").ok
    bob_onto = b.post("/api/ontology.json", {"name": "bob-onto"}).json()["ontology"]["id"]
    bob_term = b.post("/api/term.json", {"name": "x", "color": "#00FF00", "ontology": bob_onto})
    bob_p = b.post("/api/project.json", {"name": "bob-p"}).json()["project"]["id"]
    images = upload(sec_server, "alice", sec_slide, pid)
    return {
        "project": pid,
        "ontology": onto,
        "term": term.json()["term"]["id"],
        "bob_project": bob_p,
        "bob_ontology": bob_onto,
        "bob_term": bob_term.json()["term"]["id"],
        **images,
    }


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """HTTPS with a certificate made now, ``--require-path-signature`` and ``--no-docs``."""
    tmp = tmp_path_factory.mktemp("strict")
    cert, key = _self_signed(tmp)
    args = ["--require-path-signature", "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]
    args.append("--no-docs")
    with running_server("sqlite", tmp, {"alice": "user"}, args, tls_ca=cert) as srv:
        srv.ca = cert  # type: ignore[attr-defined]
        yield srv


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
