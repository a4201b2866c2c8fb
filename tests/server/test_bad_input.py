"""Bad input against the live server (SQLite and PostgreSQL): every refusal is a clear
4xx JSON body, and a refused request leaves no row and no file behind."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.server.harness import Client, Keys, Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def _is_error(r: object, status: int) -> None:
    assert r.status_code == status, r.text[:300]  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("application/json")  # type: ignore[attr-defined]
    assert r.json()["success"] is False  # type: ignore[attr-defined]


def test_malformed_json_is_400(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    for path in ("/api/project.json", "/api/annotation.json", "/api/sessions", "/api/job.json"):
        r = a.post(path, raw=b'{"name": "x", ', content_type="application/json")
        _is_error(r, 400)
    r = a.put(
        f"/api/project/{world['project']}.json", raw=b"[1, 2", content_type="application/json"
    )
    _is_error(r, 400)


def test_body_over_limit_is_413(server: Server) -> None:
    a = server.client("alice")
    big = b'{"name": "' + b"x" * (33 * 1024 * 1024) + b'"}'
    r = a.post("/api/project.json", raw=big, content_type="application/json")
    _is_error(r, 413)
    assert "x" * 100 not in r.text


def test_only_multipart_to_an_upload_route_gets_the_upload_limit(
    server: Server, world: dict[str, int]
) -> None:
    """A body is held in memory before its sender is known unless it is a multipart
    upload: any other body keeps the small limit on the upload routes too, and SciTran's
    file uploads take files over it."""
    a = server.client("alice")
    big = b'{"name": "' + b"x" * (33 * 1024 * 1024) + b'"}'
    for path in ("/upload", "/api/attachedfile.json", "/api/uploadedfile.json"):
        _is_error(a.post(path, raw=big, content_type="application/json"), 413)
    r = a.post(
        f"/api/projects/{world['project']}/files",
        files={"file": ("big.bin", b"\0" * (33 * 1024 * 1024))},
    )
    assert r.status_code == 200, r.text[:300]
    listed = a.get(f"/api/projects/{world['project']}/files").json()
    assert [f["size"] for f in listed if f["name"] == "big.bin"] == [33 * 1024 * 1024]


def test_path_traversal_in_upload_names_is_400(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    storage_root = server.data_dir / "storage"
    before = _files(storage_root)
    for name in ("../evil.tiff", "..\\evil.tiff", "/etc/evil.tiff", ".hidden.tiff", "a/../b.tiff"):
        r = a.post(
            "/upload",
            params={"storage": world["storage"], "projects": world["project"]},
            files={"files[]": (name, b"II*\x00not really")},
        )
        _is_error(r, 400)
    r = a.post(
        "/api/attachedfile.json",
        params={
            "domainIdent": world["project"],
            "filename": "../../evil.txt",
            "domainClassName": "be.cytomine.domain.project.Project",
        },
        files={"files[]": ("ok.txt", b"x")},
    )
    _is_error(r, 400)
    r = a.post(f"/api/projects/{world['project']}/files", files={"file": ("../evil.txt", b"x")})
    _is_error(r, 400)
    assert _files(storage_root) == before
    assert not list(server.data_dir.parent.rglob("evil*"))


def test_non_slide_upload_leaves_nothing(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    storage_root = server.data_dir / "storage"
    files_before = _files(storage_root)
    uploaded = a.get("/api/uploadedfile.json").json()["size"]
    images = a.get(f"/api/project/{world['project']}/imageinstance.json").json()["size"]
    r = a.post(
        "/upload",
        params={"storage": world["storage"], "projects": world["project"]},
        files={"files[]": ("notes.tiff", b"this is not a slide at all" * 100)},
    )
    _is_error(r, 400)
    assert a.get("/api/uploadedfile.json").json()["size"] == uploaded
    assert a.get(f"/api/project/{world['project']}/imageinstance.json").json()["size"] == images
    assert _files(storage_root) == files_before


def test_replayed_create_with_same_uid_is_one_row(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    uid = str(uuid.uuid4())
    body = {"image": world["image"], "location": SQUARE, "uid": uid}
    first = a.post("/api/annotation.json", body).json()
    again = a.post("/api/annotation.json", body).json()
    assert first["annotation"]["id"] == again["annotation"]["id"] and again["command"] is None
    rows = a.get("/api/annotation.json", params={"image": world["image"]}).json()["collection"]
    assert len([r for r in rows if r["id"] == first["annotation"]["id"]]) == 1
    header = {"X-Client-Uid": str(uuid.uuid4())}
    p1 = a.post("/api/project.json", {"name": "replay"}, headers=header).json()["project"]["id"]
    p2 = a.post("/api/project.json", {"name": "replay"}, headers=header).json()["project"]["id"]
    assert p1 == p2
    names = [p["id"] for p in a.get("/api/project.json").json()["collection"]]
    assert names.count(p1) == 1


def test_wrong_signature_is_401(server: Server) -> None:
    alice = server.users["alice"]
    forged = Client(server.base, Keys(alice.id, alice.username, alice.publicKey, "not-the-key"))
    for method, path in (
        ("GET", "/api/project.json"),
        ("POST", "/api/project.json"),
        ("GET", "/api/users/self"),
        ("DELETE", "/api/job/1.json"),
    ):
        r = forged.request(method, path, {"name": "x"} if method == "POST" else None)
        _is_error(r, 401)
        assert alice.privateKey not in r.text and alice.publicKey not in r.text
    unknown = Client(server.base, Keys(0, "nobody", str(uuid.uuid4()), str(uuid.uuid4())))
    _is_error(unknown.get("/api/project.json"), 401)
