"""Copy the licence files of every Python distribution the bundle contains.

    python packaging/collect_licenses.py OUT_DIR

The bundled distributions are the requirement closure of ``desktop_app[server]`` plus
``keyrings.alt`` and ``openslide-bin`` (what packaging/workstation.spec collects),
resolved in the build's Python environment. Each one's licence files (those its
metadata names, or any LICENSE/COPYING/NOTICE file it installed) go to
``OUT_DIR/<distribution>/``. A distribution that installs no such file (PySide6 and
shiboken6 wheels) gets ``LICENSE-METADATA.txt`` with the licence its metadata declares
(the full LGPL/GPL texts are in the bundle's ``licenses/``); one with no licence
information at all is listed on stderr and fails the script, so a bundle never ships
a component without its terms.
"""

from __future__ import annotations

import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

ROOTS = ("desktop_app[server]", "keyrings.alt", "openslide-bin")
LICENCE_FILE = re.compile(r"(^|/)(licen[cs]es?/|(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$)", re.I)
_NAME = re.compile(r"^([A-Za-z0-9._-]+)(\[([^\]]*)\])?")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _marker_ok(requirement: str, extras: set[str]) -> bool:
    """Evaluate the requirement's environment marker (``extra == …`` included)."""
    from packaging.requirements import Requirement

    req = Requirement(requirement)
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": e}) for e in (extras or {""}))


def closure(roots: tuple[str, ...]) -> dict[str, metadata.Distribution]:
    """Every installed distribution the roots need, by normalised name."""
    found: dict[str, metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        match = _NAME.match(todo.pop().strip())
        if not match:
            continue
        name = _normal(match.group(1))
        extras = {e.strip() for e in (match.group(3) or "").split(",") if e.strip()}
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency for another platform
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in found:
            continue
        found[key] = dist
        for requirement in dist.requires or []:
            if _marker_ok(requirement, extras):
                todo.append(requirement.split(";")[0])
    return {_normal(d.metadata["Name"]): d for d in found.values()}


def main(out: Path) -> int:
    missing = []
    for name, dist in sorted(closure(ROOTS).items()):
        if name == "desktop-app":
            continue  # the application itself
        files = [f for f in dist.files or [] if LICENCE_FILE.search(str(f))]
        target = out / name
        if not files:
            declared = dist.metadata.get("License-Expression") or dist.metadata.get("License")
            if not declared:
                missing.append(name)
                continue
            target.mkdir(parents=True, exist_ok=True)
            (target / "LICENSE-METADATA.txt").write_text(
                f"{dist.metadata['Name']} {dist.version}\nLicense: {declared}\n"
                f"Home page: {dist.metadata.get('Home-page') or dist.metadata.get('Project-URL')}\n"
                "The full licence texts are in the licenses/ directory above this one.\n",
                encoding="utf-8",
            )
            continue
        for f in files:
            source = Path(str(f.locate()))
            if source.is_file():
                dest = target / Path(str(f)).name
                if dest.exists():  # two files of that name (licenses/X/COPYING): keep the path
                    dest = target / str(f).replace("/", "_")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)
    if missing:
        print(f"no licence files found for: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
