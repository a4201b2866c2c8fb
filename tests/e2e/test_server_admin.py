"""The server as its administrator meets it (#10.8, #10.9, #10.10): installing it,
adding members to a project, and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from desktop_app.cli.server_cmd import listening_line
from desktop_app.server.settings import ServerSettings
from tests.e2e.conftest import Ws, server_cli
from tests.server.harness import ROOT, Server


def test_missing_server_extra_says_which_command_installs_it(tmp_path: Path) -> None:
    """#10.8: without fastapi, `server add-user` names the install command (no traceback)."""
    code = (
        "import sys; sys.modules['fastapi'] = None\n"
        "from desktop_app.cli import main\n"
        f"sys.exit(main(['--data-dir', {str(tmp_path)!r}, 'server', 'add-user', 'x',"
        " '--role', 'user']))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, text=True, capture_output=True, timeout=120
    )
    assert out.returncode == 2, out.stderr
    line = out.stderr.strip()
    assert "missing: fastapi" in line and "bash scripts/setup.sh server" in line
    assert "Traceback" not in line and len(line.splitlines()) == 1


def test_setup_script_and_pyproject_offer_the_server() -> None:
    """#10.8: the command the README gives exists and installs the server and keyrings.alt."""
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert '"server" ]' in setup and ".[server,headless]" in setup
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert "headless = [" in pyproject and '"keyrings.alt>=5,<6"' in pyproject
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/setup.sh server" in readme


def test_file_keyring_is_used_only_when_chosen(
    sqlite_server: Server, workstations: Any, account: dict[str, str], tmp_path: Path
) -> None:
    """keyrings.alt installed but not chosen: login refuses and says how to choose it."""
    ws: Ws = workstations("nokeyring")
    env = {k: v for k, v in account.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # no keyringrc.cfg there
    ws.env = env
    k = sqlite_server.users["alice"]
    out = ws.run(
        "login",
        "--server",
        sqlite_server.base,
        "--public-key",
        k.publicKey,
        "--private-key",
        k.privateKey,
        check=False,
    )
    assert out.returncode == 2
    assert "pip install keyrings.alt" in out.stderr and "PYTHON_KEYRING_BACKEND" in out.stderr
    assert k.privateKey not in out.stderr and not (ws.data / "server.json").exists()


def test_add_member_gives_and_removes_access(sqlite_server: Server) -> None:
    """#10.9: `server add-member PROJECT_ID USERNAME --role ro|rw|admin`, effective at once."""
    alice, carol = sqlite_server.client("alice"), sqlite_server.client("carol")
    project = alice.post("/api/project.json", {"name": "members"}).json()["project"]["id"]
    assert carol.get(f"/api/project/{project}.json").status_code in (403, 404)
    url = ["--database-url", sqlite_server.database_url]
    out = server_cli(sqlite_server, "add-member", str(project), "carol", "--role", "ro", *url)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "project": project,
        "projectName": "members",
        "user": sqlite_server.users["carol"].id,
        "username": "carol",
        "role": "ro",
        "action": "created",
    }
    assert carol.get(f"/api/project/{project}.json").status_code == 200
    members = alice.get(f"/api/project/{project}/user.json").json()["collection"]
    assert "carol" in {m["username"] for m in members}
    out = server_cli(sqlite_server, "add-member", str(project), "carol", "--role", "admin", *url)
    assert json.loads(out.stdout)["action"] == "updated"
    admins = alice.get(f"/api/project/{project}/admin.json").json()["collection"]
    assert "carol" in {m["username"] for m in admins}
    out = server_cli(sqlite_server, "remove-member", str(project), "carol", *url)
    assert out.returncode == 0 and json.loads(out.stdout)["action"] == "deleted"
    # Refused within 1 s (docs/api.md): the CLI's transaction moves the access
    # generation every server process reads at least every 0.25 s.
    revoked = time.monotonic()
    while carol.get(f"/api/project/{project}.json").status_code not in (403, 404):
        assert time.monotonic() - revoked < 1.0, "remove-member not honoured within 1 s"
        time.sleep(0.02)

    bad = server_cli(sqlite_server, "add-member", str(project), "nobody", "--role", "rw", *url)
    assert bad.returncode == 1 and "no user 'nobody'" in bad.stderr
    bad = server_cli(sqlite_server, "add-member", "999999", "carol", "--role", "rw", *url)
    assert bad.returncode == 1 and "no project 999999" in bad.stderr
    bad = server_cli(sqlite_server, "add-member", str(project), "carol", "--role", "owner", *url)
    assert bad.returncode == 2 and "--role ro|rw|admin" in bad.stderr


def test_server_says_where_it_listens_and_logs_requests(sqlite_server: Server) -> None:
    """#10.10: one start-up line, the access log, failed requests with their request."""
    good = sqlite_server.client("alice").get("/api/user/current.json")
    assert good.ok
    bad = sqlite_server.client("alice")
    bad.keys = type(bad.keys)(**{**bad.keys.__dict__, "privateKey": "not-the-key"})
    assert bad.get("/api/project.json").status_code == 401
    log = _log_until(sqlite_server, "401 GET /api/project.json")
    port = sqlite_server.base.rsplit(":", 1)[1]
    first = log.splitlines()[0]
    assert first.startswith(f"workstation server listening on http://127.0.0.1:{port} ")
    assert "(database sqlite:///" in first and "storage " in first and "1 worker)" in first
    assert '"GET /api/user/current.json HTTP/1.1" 200' in log
    assert "WARNING desktop_app.server.request_log: 401 GET /api/project.json" in log
    for keys in sqlite_server.users.values():
        assert keys.privateKey not in log
    assert "CYTOMINE " not in log and "authorization" not in log.lower()


def test_listening_line_hides_the_database_password(tmp_path: Path) -> None:
    settings = ServerSettings(
        database_url="postgresql+psycopg://cyto:s3cret@db.example:5432/cytomine",
        storage_dir=tmp_path,
        port=9000,
    )
    line = listening_line(settings, 3)
    assert "s3cret" not in line and "cyto:***@db.example:5432/cytomine" in line
    assert line.endswith(f"storage {tmp_path}, 3 workers)")


def _log_until(server: Server, text: str) -> str:
    import time

    deadline = time.time() + 10
    while True:
        log = (server.data_dir / "server.log").read_text()
        if text in log or time.time() > deadline:
            return log
        time.sleep(0.1)
