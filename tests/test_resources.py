"""Every resource file the code names exists under resources/ and loads as what it is."""

from __future__ import annotations

import configparser
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop_app import assets
from desktop_app.assets import ResourceMissingError, Resources
from desktop_app.core.tools import ToolMode
from desktop_app.services.demo import load_demo_settings

ROOT = Path(__file__).resolve().parent.parent / "resources"
TOOL_MODES: tuple[ToolMode | None, ...] = (None, *ToolMode)

pytestmark = pytest.mark.qt


def _tool_icon_names() -> set[str]:
    from desktop_app.ui.annotations.icons import tool_icon_name

    return {tool_icon_name(mode) for mode in TOOL_MODES}


def test_the_checkout_resources_are_found() -> None:
    assert Path(str(Resources().root)) == ROOT


@pytest.mark.parametrize("name", assets.named_files())
def test_named_file_exists_and_loads(name: str, qapp: object) -> None:
    res = Resources()
    data = res.read_bytes(name)
    assert data, name
    suffix = Path(name).suffix
    if suffix == ".svg":
        from desktop_app.ui.annotations.icons import svg_image

        assert _opaque_pixels(svg_image(data, 64, name)) > 200
    elif suffix == ".png":
        from PySide6.QtGui import QImage

        image = QImage.fromData(data, "PNG")
        size = int(Path(name).parts[2].split("x")[0])  # icons/hicolor/<n>x<n>/apps/...
        assert (image.width(), image.height()) == (size, size)
        assert _opaque_pixels(image) > size
    elif suffix == ".json":
        assert isinstance(json.loads(data), dict)
    elif suffix == ".desktop":
        entry = configparser.ConfigParser(interpolation=None)
        entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
        entry.read_string(data.decode("utf-8"))
        main = entry["Desktop Entry"]
        assert main["Type"] == "Application"
        assert main["Icon"] == assets.APP_ID
        assert main["Exec"].split()[0] == "workstation"
    elif suffix == ".xml":
        component = ET.fromstring(data)
        assert component.findtext("id") == assets.APP_ID
        assert component.findtext("launchable") == Path(assets.DESKTOP_ENTRY).name
    else:
        assert len(data.decode("utf-8").strip()) > 100


@pytest.mark.parametrize("mode", TOOL_MODES, ids=lambda m: "pan" if m is None else m.value)
def test_every_tool_has_an_icon_that_renders(mode: ToolMode | None, qapp: object) -> None:
    from desktop_app.ui.annotations.icons import tool_icon

    icon = tool_icon(mode)
    image = icon.pixmap(32, 32).toImage()
    assert (image.width(), image.height()) == (32, 32)
    assert _opaque_pixels(image) > 60  # an outline, not an empty square


def test_every_file_under_resources_is_used() -> None:
    """Nothing ships that no code names (a stale icon would be bundled for nothing)."""
    on_disk = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()}
    assert on_disk == set(assets.named_files()) | _tool_icon_names()


def test_demo_settings_match_the_ontology() -> None:
    demo = load_demo_settings()
    names = [t.name for t in demo.terms]
    assert demo.ontology == "H&E demo" and "Tumor" in names
    assert {e.term for e in demo.examples} <= set(names)
    assert all(t.parent is None or t.parent in names for t in demo.terms)
    assert (demo.width, demo.height, demo.mpp, demo.fmt) == (40_000, 30_000, 0.25, "svs")


def test_a_demo_term_missing_from_the_ontology_is_named(tmp_path: Path) -> None:
    root = tmp_path / "resources"
    shutil.copytree(ROOT, root)
    onto = root / assets.HE_ONTOLOGY
    data = json.loads(onto.read_text())
    data["terms"] = [t for t in data["terms"] if t["name"] != "Stroma"]
    onto.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"terms not in .*he-default.json: \['Stroma'\]"):
        load_demo_settings(Resources(root))


def test_a_missing_resource_says_reinstall(tmp_path: Path) -> None:
    with pytest.raises(ResourceMissingError, match="demo/demo.json is missing .*reinstall"):
        Resources(tmp_path).read_json(assets.DEMO_SETTINGS)


def _opaque_pixels(image: object) -> int:
    """How many pixels of a QImage are not fully transparent."""
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    raw = bytes(rgba.constBits())[: rgba.sizeInBytes()]
    return sum(1 for alpha in raw[3::4] if alpha)
