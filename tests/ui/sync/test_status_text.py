"""The sync status line states connection, pending changes and last sync without contradiction."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.ui.sync.runner import StatusView
from desktop_app.ui.sync.status import SyncStatusWidget

#: Replaced by "5 minutes before the test runs" (parameters are built at collection).
FIVE_MIN_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def view(**kw: object) -> StatusView:
    base: dict[str, object] = dict(
        logged_in=True, online=None, pending=0, conflicts=0, last_sync=None,
        last_error=None, running=False, server="http://127.0.0.1:9",
    )  # fmt: skip
    base.update(kw)
    return StatusView(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "text", "state"),
    [
        # logged in, server not reached since start-up, a sync in an earlier session
        (view(last_sync=FIVE_MIN_AGO), "Logged in | 0 pending | synced 5 min ago", "unknown"),
        (view(), "Logged in | 0 pending | never synced", "unknown"),
        (view(online=True, pending=3, last_sync=FIVE_MIN_AGO),
         "Online | 3 pending | synced 5 min ago", "online"),
        (view(online=False, pending=2), "Offline | 2 pending | never synced", "offline"),
        (view(online=True, last_error="HTTP 500", conflicts=1, last_sync=FIVE_MIN_AGO),
         "Sync error | 0 pending | 1 conflict(s) | synced 5 min ago", "error"),
        (view(logged_in=False, pending=4, server=""), "Not logged in | 4 pending", "unknown"),
    ],
)  # fmt: skip
def test_status_line_is_coherent(qtbot: QtBot, status: StatusView, text: str, state: str) -> None:
    if status.last_sync == FIVE_MIN_AGO:
        when = datetime.now(UTC) - timedelta(minutes=5, seconds=10)
        status = dataclasses.replace(status, last_sync=when)
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.set_status(status)
    assert widget.text() == text
    assert widget.state == state
    assert "Not synced yet" not in widget.text()


def test_progress_text_is_never_cut_off(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.set_running(True)
    for stage, done, total in (
        ("upload-bytes", 24_600_000, 55_000_000_000),
        ("pull-page", 123_456, 0),
        ("push", 3, 250),
    ):
        widget.set_progress(stage, done, total)
        bar = widget.progress
        text = bar.text()
        assert bar.fontMetrics().horizontalAdvance(text) + 16 <= bar.width(), (text, bar.width())
    widget.set_progress("upload-bytes", 24_600_000_000, 55_000_000_000)
    assert widget.progress.text() == "Uploading slide 24.6/55.0 GB"
    assert 0 < widget.progress.value() < 1000  # 55 GB does not overflow the bar's int
