"""``TransferJob`` on its lane: progress reaches the dialog, and a transfer ends in exactly
one of finished / failed (in user terms) / cancelled, with the dialog closed."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.home.jobs import TransferJob

WAIT = 10_000
Progress = Callable[[int, int], None]


def outcomes(job: TransferJob) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    job.finished.connect(lambda r: seen.append(("finished", r)))
    job.failed.connect(lambda m: seen.append(("failed", m)))
    job.cancelled.connect(lambda: seen.append(("cancelled", None)))
    return seen


def test_progress_then_the_result(qtbot: QtBot) -> None:
    halfway = threading.Event()
    go_on = threading.Event()

    def work(progress: Progress, cancel: threading.Event) -> str:
        progress(50, 100)
        halfway.set()
        go_on.wait(WAIT / 1000)
        progress(100, 100)
        return "saved.svs"

    window = QWidget()  # the job and its dialog are its children
    qtbot.addWidget(window)
    job = TransferJob("Download", "Downloading saved.svs", work, window)
    seen = outcomes(job)
    job.start()
    assert halfway.wait(WAIT / 1000)
    qtbot.waitUntil(lambda: job.dialog.value() == 50 and job.dialog.maximum() == 100)
    assert job.running
    go_on.set()
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT)
    assert seen == [("finished", "saved.svs")] and not job.dialog.isVisible()


def test_a_failure_is_one_line_for_the_user(qtbot: QtBot) -> None:
    def work(progress: Progress, cancel: threading.Event) -> None:
        raise ValueError("The server has no such file")

    window = QWidget()  # the job and its dialog are its children
    qtbot.addWidget(window)
    job = TransferJob("Download", "Downloading", work, window)
    seen = outcomes(job)
    job.start()
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT)
    assert seen == [("failed", "The server has no such file")]


def test_cancel_from_the_dialog_wins_over_the_result(qtbot: QtBot) -> None:
    started = threading.Event()

    def work(progress: Progress, cancel: threading.Event) -> str:
        started.set()
        cancel.wait(WAIT / 1000)  # a chunked transfer checks it between chunks
        return "partial"

    window = QWidget()  # the job and its dialog are its children
    qtbot.addWidget(window)
    job = TransferJob("Upload", "Uploading", work, window)
    seen = outcomes(job)
    job.start()
    assert started.wait(WAIT / 1000)
    button = job.dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    button.click()
    qtbot.waitUntil(lambda: not job.running, timeout=WAIT)
    assert seen == [("cancelled", None)] and not job.dialog.isVisible()
