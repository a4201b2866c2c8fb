"""Tool, action and application icons.

The tool icons and the application icon are SVG files under ``resources/`` (read
through ``desktop_app.assets``): editable in any vector editor, shared with the
desktop entry and the docs, and rendered by Qt's SVG renderer at every size a
toolbar or a HiDPI screen asks for. Term swatches stay drawn here: their colour is
the term's, known only at run time.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop_app.assets import APP_ICON_SVG, PAN_ICON, Resources, tool_icon_file
from desktop_app.core.tools import ToolMode

#: Sizes rendered into each icon; Qt picks the nearest (and scales for HiDPI).
ICON_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128)


def svg_image(data: bytes, size: int, name: str = "icon") -> QImage:
    """``data`` (an SVG document) rendered into a transparent ``size`` square."""
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise ValueError(f"{name} is not a valid SVG image")
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def svg_icon(data: bytes, name: str = "icon", sizes: tuple[int, ...] = ICON_SIZES) -> QIcon:
    icon = QIcon()
    for size in sizes:
        icon.addPixmap(QPixmap.fromImage(svg_image(data, size, name)))
    return icon


def tool_icon_name(mode: ToolMode | None) -> str:
    """The resource file of ``mode``'s icon (``None``: the pan/navigate hand)."""
    return tool_icon_file(PAN_ICON if mode is None else mode.value)


def tool_icon(mode: ToolMode | None, resources: Resources | None = None) -> QIcon:
    """The icon of ``mode`` (``None``: the pan/navigate hand)."""
    name = tool_icon_name(mode)
    return svg_icon((resources or Resources()).read_bytes(name), name)


def app_icon(resources: Resources | None = None) -> QIcon:
    """The application (window) icon, from the same SVG the desktop entry uses."""
    return svg_icon(
        (resources or Resources()).read_bytes(APP_ICON_SVG),
        APP_ICON_SVG,
        sizes=(16, 24, 32, 48, 64, 128, 256),
    )


def swatch_icon(color: str, size: int = 14) -> QIcon:
    """A filled, outlined square for term colours."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setPen(QColor(0, 0, 0, 160))
    p.setBrush(QColor(color))
    p.drawRect(0, 0, size - 1, size - 1)
    p.end()
    return QIcon(pixmap)
