"""``workstation login | logout | sync`` as a user runs them, and a SIGKILL landing mid-push."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app.model.security import User
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.store import edits
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store
from tests.server.harness import ROOT, cli_command, dies_with_test_run
from tests.sync.helpers import cache_state, local_image, server_state, square


def _run(
    data: Path, *args: str, env: dict[str, str] | None = None, check: bool = False
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [*cli_command(), "--data-dir", str(data), *args],
        cwd=ROOT,
        preexec_fn=dies_with_test_run(),
        text=True,
        capture_output=True,
        env=env or dict(os.environ),
        timeout=120,
    )
    if check:
        assert out.returncode == 0, out.stderr
    return out


def _login(data: Path, server: Any, who: str = "alice") -> None:
    k = server.users[who]
    out = _run(
        data,
        "login",
        "--server",
        server.base,
        "--public-key",
        k.publicKey,
        "--private-key",
        k.privateKey,
        check=True,
    )
    assert who in out.stdout


def test_login_sync_logout(server: Any, world: dict[str, Any], tmp_path: Path) -> None:
    data = tmp_path / "data"
    k = server.users["alice"]
    bad = _run(
        data,
        "login",
        "--server",
        server.base,
        "--public-key",
        k.publicKey,
        "--private-key",
        "wrong-secret",
    )
    assert bad.returncode != 0 and "refused" in bad.stderr and "wrong-secret" not in bad.stderr
    _login(data, server)
    config = (data / "server.json").read_text()
    assert k.privateKey not in config and k.publicKey in config
    keyring_files = list((tmp_path / "xdg").rglob("*"))
    assert any(f.is_file() for f in keyring_files)  # the alt keyring stayed in the tmp dir
    out = _run(data, "sync", "--project", str(world["project"]), "--json", check=True)
    summary = json.loads(out.stdout)
    assert {"pushed", "pulled", "conflicts", "failed", "pending"} <= summary.keys()
    store = Store(open_cache(data / "cache.sqlite"))
    try:
        with store.read() as s:
            me = s.scalar(select(User.pk).where(User.server_id == k.id))
        with store.unit_of_work(user_pk=me) as uow:
            edits.create_annotation(
                uow,
                image_pk=local_image(store, world["image"]),
                geometry=square(10, 10),
                user_pk=me,
            )
    finally:
        store.close()
    out = _run(data, "sync", "--project", str(world["project"]), "--json", check=True)
    assert json.loads(out.stdout)["pushed"] == 1
    assert "logged out" in _run(data, "logout", check=True).stdout
    assert _run(data, "sync").returncode != 0


def test_offline_sync_says_so(
    server: Any, world: dict[str, Any], proxy: Any, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    k = server.users["alice"]
    _run(
        data,
        "login",
        "--server",
        proxy.base,
        "--public-key",
        k.publicKey,
        "--private-key",
        k.privateKey,
        check=True,
    )
    proxy.stop()
    off = _run(data, "sync", "--project", str(world["project"]))
    assert off.returncode == 1 and "offline" in off.stderr and len(off.stderr.splitlines()) == 1
    assert k.privateKey not in off.stderr


def test_login_without_keyring_backend(server: Any, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    k = server.users["alice"]
    out = _run(
        tmp_path / "d",
        "login",
        "--server",
        server.base,
        "--public-key",
        k.publicKey,
        "--private-key",
        k.privateKey,
        env=env,
    )
    assert out.returncode != 0 and "PYTHON_KEYRING_BACKEND" in out.stderr
    assert not (tmp_path / "d" / "server.json").exists()


def _acked(store: Store, pks: list[int]) -> int:
    """How many of these annotations' creates the server has acknowledged."""
    with store.read() as s:
        done = select(func.count()).where(
            CommandLog.entity_type == "annotation",
            CommandLog.entity_pk.in_(pks),
            CommandLog.state == OpState.DONE,
        )
        return int(s.scalar(done) or 0)


def test_sigkill_during_sync_then_rerun(server: Any, world: dict[str, Any], tmp_path: Path) -> None:
    data = tmp_path / "data"
    _login(data, server)
    p = world["project"]
    _run(data, "sync", "--project", str(p), check=True)
    store = Store(open_cache(data / "cache.sqlite"))
    uids: list[str] = []
    try:
        for rnd in range(4):
            with store.read() as s:
                me = s.scalar(select(User.pk).where(User.server_id == server.users["alice"].id))
            round_pks: list[int] = []
            with store.unit_of_work(user_pk=me) as uow:
                for i in range(150):
                    ann = edits.create_annotation(
                        uow,
                        image_pk=local_image(store, world["image"]),
                        geometry=square((i % 25) * 40, (i // 25) * 40 + rnd * 5, 20),
                        user_pk=me,
                    )
                    uids.append(ann.uid)
                    round_pks.append(ann.pk)
            proc = subprocess.Popen(
                [
                    *cli_command(),
                    "--data-dir",
                    str(data),
                    "sync",
                    "--project",
                    str(p),
                    "--batch",
                    "20",
                ],
                cwd=ROOT,
                preexec_fn=dies_with_test_run(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 120
            while _acked(store, round_pks) == 0:  # this round's push has begun
                assert proc.poll() is None, "sync ended before it pushed anything"
                assert time.monotonic() < deadline, "sync pushed nothing in 120 s"
                time.sleep(0.005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            acked = _acked(store, round_pks)
            assert 0 < acked < len(round_pks), f"not mid-push: {acked} of {len(round_pks)} acked"
        out = _run(data, "sync", "--project", str(p), "--json")
        assert out.returncode == 0, out.stderr
        expected = server_state(server, p)
        assert cache_state(store, p) == expected
        body = (
            server.client("alice")
            .get(f"/api/project/{p}/annotations/bulk.json", params={"since": 0})
            .json()
        )
        on_server = [r["uid"] for r in body["annotations"]]
        assert sorted(on_server) == sorted(uids)  # every edit exactly once
    finally:
        store.close()
