"""A real server in a subprocess and a signing HTTP client, shared by tests and benchmarks.

The server is started exactly as a user would (``workstation --data-dir D server
--port P``) and spoken to over HTTP on 127.0.0.1, so the tests cover uvicorn, the
CLI wiring and the migrations, not just the route functions.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop_app.server.hmac_auth import sign
from desktop_app.server.lifetime import die_with_parent

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_DSN = os.environ.get("WORKSTATION_TEST_PG", "host=127.0.0.1 port=5432 user=postgres")

#: Used when ``python -m desktop_app.cli`` cannot run yet (no __main__.py, or another
#: subcommand module still missing): the same ``server`` subcommand, the same flags.
_FALLBACK = (
    "import argparse, sys\n"
    "from desktop_app.cli import server_cmd\n"
    "p = argparse.ArgumentParser(prog='workstation')\n"
    "p.add_argument('--data-dir')\n"
    "s = p.add_subparsers(dest='command')\n"
    "server_cmd.register(s)\n"
    "a = p.parse_args()\n"
    "sys.exit(a.func(a))\n"
)


def cli_command() -> list[str]:
    """``python -m desktop_app.cli`` if it works in this checkout, else the fallback."""
    if (ROOT / "desktop_app" / "cli" / "__main__.py").exists():
        from desktop_app.cli import COMMAND_MODULES

        if all(importlib.util.find_spec(m) is not None for m in COMMAND_MODULES):
            return [sys.executable, "-m", "desktop_app.cli"]
    return [sys.executable, "-c", _FALLBACK]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Keys:
    id: int
    username: str
    publicKey: str
    privateKey: str
    #: SciTran permissions granted to the login before the account existed
    grants: int = 0


class Client:
    """Signs every request the Cytomine way; ``layout`` picks the string-to-sign."""

    def __init__(self, base: str, keys: Keys | None, layout: str = "new") -> None:
        self.base = base
        self.keys = keys
        self.layout = layout
        self.session = requests.Session()

    def request(
        self, method: str, path: str, body: Any = None, *, timeout: float = 60, **kw: Any
    ) -> requests.Response:
        """Send the signed request (``kw`` as :meth:`prepare` takes them)."""
        return self.session.send(self.prepare(method, path, body, **kw), timeout=timeout)

    def prepare(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str | None = None,
        files: Any = None,
    ) -> requests.PreparedRequest:
        """The signed request, unsent: for a test that writes it to a socket itself."""
        h = {"accept": "application/json, */*", "date": formatdate(usegmt=True)}
        data: Any = raw
        if body is not None:
            data = json.dumps(body)
            content_type = content_type or "application/json"
        if content_type:
            h["content-type"] = content_type
        if headers:
            h.update(headers)
        req = requests.Request(
            method, self.base + path, headers=h, data=data, params=params, files=files
        )
        prepared = self.session.prepare_request(req)
        if self.keys is not None:
            ctype = prepared.headers.get("content-type", "")
            token = f"{method}\n\n{ctype}\n{h['date']}"
            if self.layout == "legacy":
                token += "\n" + prepared.path_url
            sig = sign(self.keys.privateKey, token)
            prepared.headers["authorization"] = f"CYTOMINE {self.keys.publicKey}:{sig}"
        return prepared

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.request("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", path, **kw)

    def upload_slide(self, slide: Path, project: int, name: str) -> tuple[int, dict[str, Any]]:
        """Upload ``slide`` as ``name`` into ``project`` through the caller's first storage,
        as the official client's ``upload_image`` does; (storage id, the upload's first
        answer, which holds ``image`` and ``imageInstances``)."""
        storage = int(self.get("/api/storage.json").json()["collection"][0]["id"])
        with open(slide, "rb") as f:
            r = self.post(
                "/upload",
                params={"storage": storage, "projects": project},
                files={"files[]": (name, f)},
            )
        assert r.status_code == 200, r.text
        return storage, r.json()[0]["images"][0]


@dataclass
class Server:
    base: str
    data_dir: Path
    database_url: str
    backend: str
    users: dict[str, Keys] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    def client(self, who: str, layout: str = "new") -> Client:
        return Client(self.base, self.users[who], layout)

    def _add_user_args(self, name: str, role: str) -> list[str]:
        return ["--data-dir", str(self.data_dir), "server", "add-user", name, "--role", role,
                "--database-url", self.database_url]  # fmt: skip

    def add_user(self, name: str, role: str) -> Keys:
        """``workstation server add-user`` in its own process, as an administrator runs it."""
        out = subprocess.run(
            [*cli_command(), *self._add_user_args(name, role)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            preexec_fn=dies_with_test_run(),
            timeout=120,
        )
        keys = Keys(**json.loads(out.stdout))
        self.users[name] = keys
        return keys

    def add_accounts(self, users: dict[str, str]) -> None:
        """The accounts a test's server starts with: the same ``server add-user`` command
        (``desktop_app.cli.main``, same arguments, same database writes and JSON), run in
        this process.  A new interpreter per account cost about a second of CPU each
        (imports), several seconds per server on a busy machine; :meth:`add_user` and
        tests/e2e/test_server_admin.py keep the command's own process covered."""
        from desktop_app.cli import main

        for name, role in users.items():
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(self._add_user_args(name, role))
            assert code == 0, f"server add-user {name}: exit {code}\n{err.getvalue()}"
            self.users[name] = Keys(**json.loads(out.getvalue()))


def create_pg_database() -> tuple[str, str]:
    """A fresh throwaway database; returns (sqlalchemy url, name)."""
    import psycopg

    name = f"ws_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, dbname="postgres", autocommit=True, connect_timeout=3) as c:
        c.execute(f'CREATE DATABASE "{name}"')  # name is generated above, not user input
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, dbname="postgres", autocommit=True, connect_timeout=3) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_available() -> str | None:
    """``None`` if PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN, dbname="postgres", connect_timeout=3):
            return None
    except Exception as exc:  # any failure means "not available"
        return f"{type(exc).__name__}: {exc}"


#: ``pytest.fixture(params=BACKENDS)``: SQLite always; PostgreSQL marked ``postgres``.
BACKENDS = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


def skip_unreachable(backend: str) -> None:
    """Skip a PostgreSQL run when its server does not answer, saying so in capitals so
    that a CI log shows it."""
    if backend == "postgres" and (reason := pg_available()) is not None:
        pytest.skip(f"POSTGRESQL UNREACHABLE AT 127.0.0.1:5432 - POSTGRES TESTS NOT RUN: {reason}")


def dies_with_test_run() -> Any:
    """``preexec_fn`` for every process a test starts: SIGKILL when the test process goes,
    even when it is itself killed with SIGKILL (a server's workers follow their server:
    ``desktop_app.server.lifetime``).  Without it a killed run left servers serving."""
    parent = os.getpid()
    return lambda: die_with_parent(signal.SIGKILL, parent)


@contextmanager
def running_server(
    backend: str,
    tmp: Path,
    users: dict[str, str],
    extra_args: list[str] | None = None,
    tls_ca: Path | None = None,
) -> Iterator[Server]:
    """Start ``workstation server`` on a free port with ``users`` {name: role} created.

    ``tls_ca``: the server was given ``--ssl-certfile``; it is spoken to over https and
    its readiness is checked trusting that certificate.
    """
    pg_name = None
    if backend == "postgres":
        url, pg_name = create_pg_database()
    else:
        url = f"sqlite:///{(tmp / 'server.sqlite').as_posix()}"
    srv = Server(base="", data_dir=tmp, database_url=url, backend=backend)
    try:
        srv.add_accounts(users)
        port = free_port()
        srv.base = f"{'https' if tls_ca else 'http'}://127.0.0.1:{port}"
        log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed below
        srv.proc = subprocess.Popen(
            [
                *cli_command(),
                "--data-dir",
                str(tmp),
                "server",
                "--port",
                str(port),
                "--database-url",
                url,
                "--storage-dir",
                str(tmp / "storage"),
                *(extra_args or []),
            ],
            cwd=ROOT,
            preexec_fn=dies_with_test_run(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so no worker outlives a test
        )
        deadline = time.time() + 60
        while True:
            try:
                verify = str(tls_ca) if tls_ca else True
                if requests.get(srv.base + "/server/ping", timeout=1, verify=verify).ok:
                    break
            except requests.RequestException:
                pass
            if srv.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(
                    "server did not start:\n" + (tmp / "server.log").read_text()[-4000:]
                )
            time.sleep(0.1)
        yield srv
    finally:
        if srv.proc is not None:
            stop_process_group(srv.proc)
        if pg_name is not None:
            drop_pg_database(pg_name)


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (parent and uvicorn workers), then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
