"""Render the application icon's PNG sizes from its SVG source (run after editing it).

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Writes ``resources/icons/hicolor/<n>x<n>/apps/<APP_ID>.png`` for every size in
``desktop_app.assets.APP_ICON_SIZES``, with Qt's own SVG renderer (the one the app
uses), so the PNGs desktops pick match what the running app draws.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop_app.assets import APP_ICON_SIZES, APP_ICON_SVG, app_icon_png

ROOT = Path(__file__).resolve().parent.parent / "resources"


def render(svg: bytes, size: int) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{APP_ICON_SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = (ROOT / APP_ICON_SVG).read_bytes()
    for size in APP_ICON_SIZES:
        out = ROOT / app_icon_png(size)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        print(out.relative_to(ROOT.parent))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
