"""The UI's one threading abstraction: ``Lane`` (order, latest wins, errors, progress,
cancel, shutdown) and the slide opener built on it, with real threads and a real slide."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import SlideError, SlideSource
from desktop_app.ui.lanes import Lane, Task
from desktop_app.ui.slide_opener import SlideOpener
from tests.server.harness import dies_with_test_run

WAIT = 10_000


def on_ui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def is_closed(source: SlideSource) -> bool:
    try:
        source.read_region(0, 0, 0, 8, 8)
    except SlideError:
        return True
    return False


def test_jobs_run_in_order_and_results_arrive_on_the_ui_thread(qtbot: QtBot) -> None:
    lane = Lane("t-order")
    ran: list[int] = []
    got: list[tuple[int, bool]] = []
    for i in range(20):
        lane.submit(
            lambda i=i: ran.append(i) or i, on_done=lambda v: got.append((v, on_ui_thread()))
        )
    qtbot.waitUntil(lambda: not lane.busy, timeout=WAIT)
    assert ran == list(range(20))
    assert got == [(i, True) for i in range(20)]
    assert lane.shutdown(timeout=5)


def test_latest_wins_skips_and_releases_superseded_work(qtbot: QtBot) -> None:
    lane = Lane("t-latest")
    gate = threading.Event()
    ran: list[str] = []
    done: list[str] = []
    dropped: list[str] = []

    def job(name: str) -> str:
        if name == "first":
            gate.wait(WAIT / 1000)
        ran.append(name)
        return name

    for name in ("first", "second", "third"):
        lane.submit(job, name, key="k", on_done=done.append, on_dropped=dropped.append)
    gate.set()
    qtbot.waitUntil(lambda: not lane.busy, timeout=WAIT)
    assert ran == ["first", "third"]  # "second" was superseded before it started
    assert done == ["third"] and dropped == ["first"]
    lane.shutdown()


def test_errors_reach_the_ui_thread_in_user_terms(qtbot: QtBot) -> None:
    lane = Lane("t-errors", user_errors=(SlideError,))
    seen: list[tuple[str, bool]] = []

    def fail(exc: Exception) -> None:
        raise exc

    with qtbot.waitSignal(lane.failed, timeout=WAIT) as blocker:
        lane.submit(fail, ValueError("Enter a name"))
    assert blocker.args == ["Enter a name"]
    with qtbot.waitSignal(lane.failed, timeout=WAIT) as blocker:
        lane.submit(fail, KeyError("x"))
    assert blocker.args == ["KeyError: 'x'"]
    lane.submit(fail, SlideError("bad"), on_error=lambda e: seen.append((str(e), on_ui_thread())))
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT)
    assert seen == [("bad", True)]
    lane.shutdown()


def test_a_task_reports_progress_and_ends_cancelled(qtbot: QtBot) -> None:
    lane = Lane("t-task")
    steps: list[tuple[int, int, bool]] = []
    ends: list[str] = []
    started = threading.Event()

    def work(task: Task, total: int) -> int:
        task.progress(1, total)
        started.set()
        task.cancel_event.wait(WAIT / 1000)
        task.progress(2, total)
        return 2

    task = lane.start(
        work,
        3,
        on_progress=lambda done, total: steps.append((done, total, on_ui_thread())),
        on_done=lambda _v: ends.append("done"),
        on_cancelled=lambda: ends.append("cancelled"),
    )
    assert started.wait(WAIT / 1000)
    task.cancel()
    qtbot.waitUntil(lambda: not lane.busy, timeout=WAIT)
    assert steps == [(1, 3, True), (2, 3, True)] and ends == ["cancelled"]
    lane.shutdown()


def test_without_on_cancelled_the_job_decides_what_cancel_means(qtbot: QtBot) -> None:
    lane = Lane("t-cancel")
    results: list[Any] = []
    task = lane.start(lambda t: "stopped" if t.cancelled else "ran", on_done=results.append)
    task.cancel()  # before or after it started: it runs and its result is delivered
    qtbot.waitUntil(lambda: not lane.busy, timeout=WAIT)
    assert results in (["stopped"], ["ran"])
    lane.shutdown()


def test_shutdown_cancels_the_running_task_and_waits_at_most_its_timeout() -> None:
    lane = Lane("t-shutdown")
    release = threading.Event()
    running = threading.Event()
    delivered: list[Any] = []

    def stubborn(task: Task) -> None:  # ignores its cancel flag until released
        running.set()
        release.wait(WAIT / 1000)

    task = lane.start(stubborn, on_done=delivered.append)
    queued = lane.submit(delivered.append, "queued")
    assert running.wait(WAIT / 1000)
    assert lane.shutdown(timeout=0.05) is False
    assert task.cancelled and queued.cancelled
    release.set()
    assert lane.shutdown(timeout=WAIT / 1000) is True
    assert delivered == []


def test_a_newer_open_wins_and_the_superseded_source_is_closed(
    qtbot: QtBot, slide_path: Path
) -> None:
    gate, slow_started = threading.Event(), threading.Event()
    opened: list[SlideSource] = []

    def open_slow_first(path: Path) -> SlideSource:
        if path.name == "slow.svs":
            slow_started.set()
            gate.wait(WAIT / 1000)
        source = open_slide(slide_path)
        opened.append(source)
        return source

    opener = SlideOpener(open_slow_first)
    shown: list[tuple[Path, SlideSource]] = []
    opener.opened.connect(lambda p, s: shown.append((p, s)))
    opener.open(Path("slow.svs"))
    # started before the newer open is asked for (a job superseded before it starts is
    # skipped, which is not what this test is about)
    assert slow_started.wait(WAIT / 1000)
    with qtbot.waitSignal(opener.opened, timeout=WAIT):
        opener.open(Path("fast.svs"))  # a second worker: not held up by the slow open
    gate.set()
    qtbot.waitUntil(lambda: len(opened) == 2 and not opener.lane.busy, timeout=WAIT)
    assert [p.name for p, _s in shown] == ["fast.svs"]
    slow = next(s for s in opened if s is not shown[0][1])
    assert is_closed(slow) and not is_closed(shown[0][1])
    shown[0][1].close()
    opener.lane.shutdown()


def test_a_failed_open_is_one_line_for_the_user(qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "broken.svs"
    bad.write_bytes(b"not a slide")
    opener = SlideOpener(open_slide)
    with qtbot.waitSignal(opener.failed, timeout=WAIT) as blocker:
        opener.open(bad)
    path, message = blocker.args
    assert path == bad and message and "\n" not in message and "Traceback" not in message
    opener.lane.shutdown()


_QUIT_WHILE_STUCK = """
import sys, threading, time
from PySide6.QtCore import QCoreApplication
from desktop_app.ui.lanes import Lane
app = QCoreApplication([])
lane = Lane("stuck", abandon_at_exit=sys.argv[1] == "abandon")
started = threading.Event()
lane.submit(lambda: (started.set(), time.sleep(30)))
started.wait(10)
lane.shutdown(timeout=0.1)
print("quitting", flush=True)
"""


@pytest.mark.parametrize(("mode", "quits"), [("abandon", True), ("join", False)])
def test_a_read_lane_stuck_on_the_network_does_not_hold_up_quitting(mode: str, quits: bool) -> None:
    """A login or status read stuck for a minute must not keep the application from
    ending; a lane that writes (the default) is waited for, so no edit is cut short."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _QUIT_WHILE_STUCK, mode],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=dies_with_test_run(),
    )
    try:
        assert proc.stdout is not None
        said = proc.stdout.readline()  # after start-up, however long a busy machine takes
        try:
            proc.wait(timeout=10)  # the stuck job has 30 s to go: only abandoning it ends
            ended = True
        except subprocess.TimeoutExpired:
            ended = False
    finally:
        proc.kill()
        proc.communicate()
    assert said == "quitting\n"
    assert ended is quits
