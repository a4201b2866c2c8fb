"""An upload cut mid-body, over real HTTP: the next upload is not held up by it, and it
leaves no row and no file behind.

A desktop "Cancel" closes the connection, but the bytes already in flight (socket
buffers, a proxy) keep reaching the server for a while, so the cancelled request's
handler is still receiving when the same file is sent again.  One worker, so both land
on the same event loop: the case where a handler that holds the database while it awaits
its body stalls everyone else (on SQLite: the write lock, then "database is locked").
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.server.harness import BACKENDS, Client, Server, running_server, skip_unreachable
from tests.server.slide_fixture import make_slide

#: Long enough for a server that is not stalled (a 1 MB slide, probed and registered).
ANSWER_S = 20


@pytest.fixture(scope="module", params=BACKENDS)
def one_worker(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    skip_unreachable(request.param)
    tmp = tmp_path_factory.mktemp(f"upload-cut-{request.param}")
    with running_server(request.param, tmp, {"alice": "user"}, ["--workers", "1"]) as srv:
        yield srv


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def _read_head(sock: socket.socket, deadline: float) -> bytes:
    """Bytes up to the end of one response head (``\\r\\n\\r\\n``)."""
    got = b""
    while b"\r\n\r\n" not in got:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def _start_upload(prepared: requests.PreparedRequest) -> tuple[socket.socket, bytes]:
    """Open a connection, send ``prepared``'s head with ``Expect: 100-continue`` and wait
    for the server's ``100 Continue``: its handler has run its checks and now awaits the
    body.  Returns the socket and the body still to send."""
    url = urlsplit(prepared.url)
    body = prepared.body
    assert isinstance(body, bytes) and url.hostname and url.port
    head = [f"{prepared.method} {prepared.path_url} HTTP/1.1", f"host: {url.netloc}"]
    head += [f"{k}: {v}" for k, v in prepared.headers.items()]
    head.append("expect: 100-continue")
    sock = socket.create_connection((url.hostname, url.port), timeout=ANSWER_S)
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    answer = _read_head(sock, time.monotonic() + ANSWER_S)
    assert answer.startswith(b"HTTP/1.1 100"), answer[:200]
    return sock, body


def _upload(a: Client, params: dict[str, Any], name: str, data: bytes) -> requests.Response:
    return a.post("/upload", params=params, files={"files[]": (name, data)}, timeout=ANSWER_S)


def test_an_upload_cut_mid_body_holds_up_nothing_and_leaves_nothing(
    one_worker: Server, tmp_path: Path
) -> None:
    srv = one_worker
    a = srv.client("alice")
    project = a.post("/api/project.json", {"name": "cut uploads"}).json()["project"]["id"]
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    params = {"storage": storage, "projects": project}
    data = make_slide(tmp_path / "cut.tiff", 1200, 900).read_bytes()
    storage_root = srv.data_dir / "storage"
    files_before = _files(storage_root)
    uploaded_before = a.get("/api/uploadedfile.json").json()["size"]

    prepared = a.prepare("POST", "/upload", params=params, files={"files[]": ("cut.tiff", data)})
    cut, body = _start_upload(prepared)
    try:
        cut.sendall(body[: len(body) // 2])
        # The same file again while the first one's handler still waits for its body.
        again = _upload(a, params, "cut.tiff", data)
        assert again.status_code == 200, again.text[:300]
    finally:
        cut.close()  # the client gives up mid-body

    # A third time, after the cut: also fine, and only the two complete uploads exist.
    third = _upload(a, params, "cut.tiff", data)
    assert third.status_code == 200, third.text[:300]
    assert a.get("/api/uploadedfile.json").json()["size"] == uploaded_before + 2
    images = a.get(f"/api/project/{project}/imageinstance.json").json()["collection"]
    assert [i["instanceFilename"] for i in images] == ["cut.tiff", "cut.tiff"]
    added = _files(storage_root) - files_before
    assert len(added) == 2 and all(p.read_bytes() == data for p in added)


def _scitran_upload(
    a: Client, path: str, label: str, data: bytes, *, timeout: float = ANSWER_S
) -> requests.Response:
    """A SciTran multipart upload of one file ``{label}.bin`` (with an analysis's
    ``metadata`` part when ``path`` creates analyses)."""
    files: dict[str, Any] = {"file": (f"{label}.bin", data)}
    if path.endswith("/analyses"):
        files["metadata"] = ("", json.dumps({"label": label}))
    return a.post(path, files=files, timeout=timeout)


@pytest.mark.parametrize("route", ["files", "analyses"])
def test_a_scitran_upload_cut_mid_body_holds_up_nothing_and_leaves_nothing(
    one_worker: Server, route: str
) -> None:
    """SciTran's multipart routes (a container's files, an analysis with its files) as
    the Cytomine upload above: checked before the body, and again once it is in."""
    srv = one_worker
    a = srv.client("alice")
    pid = a.post("/api/projects", {"label": f"cut {route}"}).json()["_id"]
    path = f"/api/projects/{pid}/{route}"
    data = os.urandom(1 << 20)
    files_root = srv.data_dir / "storage" / "container_files"
    files_before = _files(files_root)

    files: dict[str, Any] = {"file": ("cut.bin", data)}
    if route == "analyses":
        files["metadata"] = ("", json.dumps({"label": "cut"}))
    cut, body = _start_upload(a.prepare("POST", path, files=files))
    try:
        cut.sendall(body[: len(body) // 2])
        again = _scitran_upload(a, path, "again", data)
        assert again.status_code == 200, again.text[:300]
    finally:
        cut.close()

    third = _scitran_upload(a, path, "third", data)
    assert third.status_code == 200, third.text[:300]
    if route == "files":
        listed = [f["name"] for f in a.get(path).json()]
        assert listed == ["again.bin", "third.bin"]
    else:
        made = a.get(path).json()
        assert [x["label"] for x in made] == ["again", "third"]
        for x in made:
            got = a.get(f"/api/analyses/{x['_id']}").json()["files"]
            assert [f["name"] for f in got] == [f"{x['label']}.bin"]
    added = _files(files_root) - files_before
    assert len(added) == 2 and all(p.read_bytes() == data for p in added)


def test_a_json_body_without_content_type_cut_mid_way_holds_up_nothing(
    one_worker: Server,
) -> None:
    """A body the session does not receive before its first statement holds the lock
    the same way: a SciTran client's JSON sent without a ``Content-Type`` (the bare
    ``requests.post(url, data=...)``), whose ``scitran-user`` key is looked up in the
    database before the body is awaited."""
    srv = one_worker
    a = srv.client("alice")
    key = a.get("/api/users/self").json()["key"]
    body = json.dumps({"label": "cut json " + "x" * (1 << 16)}).encode()
    prepared = requests.Request(
        "POST", srv.base + "/api/projects", data=body,
        headers={"Authorization": f"scitran-user {key}"},
    ).prepare()  # fmt: skip
    prepared.headers.pop("Content-Type", None)
    cut, rest = _start_upload(prepared)
    try:
        cut.sendall(rest[: len(rest) // 2])
        again = a.post("/api/projects", {"label": "cut json again"}, timeout=ANSWER_S)
        assert again.status_code == 200, again.text[:300]
    finally:
        cut.close()
    labels = [p["label"] for p in a.get("/api/projects").json()]
    assert "cut json again" in labels and not any(x.startswith("cut json x") for x in labels)
