"""The main window: opening slides, failures as message boxes, recent files, docks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.slide.cache import TileCache
from desktop_app.slide.openslide_source import open_slide
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.viewer import SlideView


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record QMessageBox.critical texts instead of blocking on a modal dialog."""
    seen: list[str] = []

    def critical(_parent: object, _title: str, text: str, *args: object) -> object:
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    return seen


@pytest.fixture
def window(qtbot: QtBot, slide_path: Path) -> Iterator[MainWindow]:
    opened: list[Path] = []
    recent = [slide_path]
    w = MainWindow(
        SlideView(TileCache(128 * 1024 * 1024)),
        open_slide,
        recent_files=lambda: list(recent),
        on_open=opened.append,
    )
    w.opened_paths = opened  # type: ignore[attr-defined]
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def open_and_wait(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.view.fully_loaded, timeout=15_000):
        window.open_path(path)


def test_open_shows_the_slide_and_calls_the_hook(
    qtbot: QtBot, window: MainWindow, slide_path: Path
) -> None:
    open_and_wait(qtbot, window, slide_path)
    assert window.view.source() is not None
    assert window.opened_paths == [slide_path]  # type: ignore[attr-defined]
    assert slide_path.name in window.windowTitle()
    assert window.associated_dock.names.count() >= 1


def test_open_with_goto(qtbot: QtBot, window: MainWindow, slide_path: Path) -> None:
    with qtbot.waitSignal(window.view.fully_loaded, timeout=15_000):
        window.open_path(slide_path, goto=(1234.0, 2345.0, 2.0))
    assert window.view.current_view() == (1234.0, 2345.0, 2.0)


def _truncated(slide_path: Path, tmp_path: Path) -> Path:
    data = slide_path.read_bytes()
    bad = tmp_path / "truncated.svs"
    bad.write_bytes(data[: len(data) // 3])
    return bad


@pytest.mark.parametrize("kind", ["garbage", "empty", "unsupported", "truncated", "missing"])
def test_bad_files_give_a_message_and_the_window_stays_usable(
    qtbot: QtBot,
    window: MainWindow,
    errors: list[str],
    slide_path: Path,
    tmp_path: Path,
    kind: str,
) -> None:
    bad = {
        "garbage": lambda: _write(tmp_path / "garbage.svs", b"\x00\x01not a tiff" * 50),
        "empty": lambda: _write(tmp_path / "empty.svs", b""),
        "unsupported": lambda: _write(tmp_path / "notes.txt", b"hello\n"),
        "truncated": lambda: _truncated(slide_path, tmp_path),
        "missing": lambda: tmp_path / "nope.svs",
    }[kind]()
    window.open_path(bad)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert len(errors) == 1
    assert bad.name in errors[0] and "Traceback" not in errors[0]
    assert len(errors[0].splitlines()) == 1
    # still usable: a good slide opens afterwards
    open_and_wait(qtbot, window, slide_path)
    assert window.view.source() is not None


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_recent_files_menu_opens_the_slide(
    qtbot: QtBot, window: MainWindow, slide_path: Path
) -> None:
    actions = window.actions_.recent_menu.actions()
    assert [a.statusTip() for a in actions] == [str(slide_path)]
    with qtbot.waitSignal(window.view.fully_loaded, timeout=15_000):
        actions[0].trigger()
    assert window.view.source() is not None


def test_view_menu_actions_drive_the_view(
    qtbot: QtBot, window: MainWindow, slide_path: Path
) -> None:
    open_and_wait(qtbot, window, slide_path)
    window.actions_.presets[10.0].trigger()
    assert window.view.current_view()[2] == pytest.approx(4.0)
    window.actions_.fit.trigger()
    assert window.view.current_view()[:2] == (4096, 3072)
    window.actions_.minimap.setChecked(False)
    assert not window.view.minimap.isVisible()
    window.actions_.docks["adjustments"].trigger()
    assert window.adjustments_dock.isVisible()
    window.adjustments_dock.brightness.setValue(30)
    assert window.view.adjustments().brightness == pytest.approx(0.3)


def test_status_bar_shows_position_and_magnification(
    qtbot: QtBot, window: MainWindow, slide_path: Path
) -> None:
    open_and_wait(qtbot, window, slide_path)
    window.view.goto(4000, 3000, 2.0)
    window.view.cursor_moved.emit(1000.0, 2000.0)
    texts = [w.text() for w in (window._position, window._magnification)]
    assert "x 1,000" in texts[0] and "250 µm" in texts[0] and "500 µm" in texts[0]
    assert texts[1].startswith("20.00x")


def test_dimensions_bar_only_for_multi_dimensional_images(qtbot: QtBot) -> None:
    from desktop_app.ui.viewer import DimensionsBar

    bar = DimensionsBar()
    qtbot.addWidget(bar)
    assert bar.isHidden()  # a plain 2-D slide: no bar at all
    bar.set_dimensions(3, 1, 5)
    assert not bar.isHidden()
    assert bar.slider("c").isVisibleTo(bar) and bar.slider("t").isVisibleTo(bar)
    assert not bar.slider("z").isVisibleTo(bar)
    with qtbot.waitSignal(bar.index_changed) as blocker:
        bar.slider("t").setValue(4)
    assert blocker.args == [0, 0, 4]
