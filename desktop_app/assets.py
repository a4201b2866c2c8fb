"""The application's resource files: icons, desktop entry, default ontology, notices.

They live in the repository's top-level ``resources/`` directory. Installed, they sit
inside the package as ``desktop_app/resources/`` (``setup.py`` maps the one onto the
other for wheels; the PyInstaller spec bundles them at the same place), so
``importlib.resources`` finds them in a wheel, a frozen bundle or a zip. A source
checkout (``PYTHONPATH`` or an editable install) has no ``desktop_app/resources``:
there the top-level directory beside the package is used.

This is the only module that knows these locations, and every file the code reads is
named by a constant or function here, which ``tests/test_resources.py`` checks. No Qt
here: the UI turns the bytes into icons.
"""

from __future__ import annotations

import json
from importlib import resources as importlib_resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

#: The reverse-DNS application id: desktop entry, AppStream id and icon name.
APP_ID = "org.slideworkstation.Workstation"
#: The application icon's source; the PNG sizes are rendered from it.
APP_ICON_SVG = f"icons/hicolor/scalable/apps/{APP_ID}.svg"
#: The PNG sizes desktops ask for (freedesktop hicolor theme directories).
APP_ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_ENTRY = f"linux/{APP_ID}.desktop"
METAINFO = f"linux/{APP_ID}.metainfo.xml"
#: The default H&E ontology (name and terms) the demo project uses.
HE_ONTOLOGY = "ontologies/he-default.json"
#: The demo project: project name, slide parameters and example annotations.
DEMO_SETTINGS = "demo/demo.json"
THIRD_PARTY_NOTICES = "licenses/THIRD-PARTY-NOTICES.md"
LICENCE_TEXTS = ("licenses/LGPL-2.1.txt", "licenses/LGPL-3.0.txt", "licenses/GPL-3.0.txt")
#: Tool icons: ``icons/tools/<name>.svg``, ``<name>`` being the tool mode's value.
TOOL_ICONS_DIR = "icons/tools"
PAN_ICON = "pan"

_INSTALLED_DIR = "resources"


def app_icon_png(size: int) -> str:
    """The application icon rendered at ``size`` pixels (hicolor theme layout)."""
    return f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"


def tool_icon_file(name: str) -> str:
    """The SVG of the tool called ``name`` (a ``ToolMode`` value, or ``PAN_ICON``)."""
    return f"{TOOL_ICONS_DIR}/{name}.svg"


def named_files() -> tuple[str, ...]:
    """Every fixed file name above (tool icons are named by the UI's tool list)."""
    return (
        APP_ICON_SVG,
        *(app_icon_png(size) for size in APP_ICON_SIZES),
        DESKTOP_ENTRY,
        METAINFO,
        HE_ONTOLOGY,
        DEMO_SETTINGS,
        THIRD_PARTY_NOTICES,
        *LICENCE_TEXTS,
    )


class ResourceMissingError(FileNotFoundError):
    """A resource file the code needs is not installed: the installation is broken."""


def locate_root() -> Traversable:
    """``desktop_app/resources`` when installed, else the checkout's ``resources/``."""
    installed = importlib_resources.files("desktop_app") / _INSTALLED_DIR
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise ResourceMissingError(
        f"the application's resource files are missing (looked in {installed} and "
        f"{checkout}); reinstall the workstation"
    )


class Resources:
    """Read access to the resource files under one root (default: the installed ones)."""

    def __init__(self, root: Traversable | None = None) -> None:
        self.root = root if root is not None else locate_root()

    def file(self, name: str) -> Traversable:
        """The resource ``name`` (a ``/``-separated path relative to the root)."""
        node = self.root
        for part in name.split("/"):
            node = node / part
        if not node.is_file():
            raise ResourceMissingError(
                f"resource {name} is missing from {self.root}; reinstall the workstation"
            )
        return node

    def read_bytes(self, name: str) -> bytes:
        return self.file(name).read_bytes()

    def read_text(self, name: str) -> str:
        return self.file(name).read_text(encoding="utf-8")

    def read_json(self, name: str) -> Any:
        """The parsed JSON of ``name``; a syntax error names the file."""
        try:
            return json.loads(self.read_text(name))
        except json.JSONDecodeError as exc:
            raise ValueError(f"resource {name} is not valid JSON: {exc}") from exc
