"""Package list for setuptools (everything else is in pyproject.toml).

The repository keeps its resource files in the top-level ``resources/`` directory;
installed, they must sit inside the package so ``importlib.resources`` finds them.
``package_dir`` maps ``desktop_app.resources`` (and its sub-directories) onto that
directory, which pyproject.toml's ``packages.find`` cannot express.
"""

from pathlib import Path

from setuptools import find_packages, setup

RESOURCES = Path(__file__).resolve().parent / "resources"
RESOURCE_PACKAGES = [
    ".".join(("desktop_app.resources", *d.relative_to(RESOURCES).parts))
    for d in sorted([RESOURCES, *RESOURCES.rglob("*")])
    if d.is_dir()
]

setup(
    packages=[*find_packages(include=["desktop_app*"]), *RESOURCE_PACKAGES],
    package_dir={"desktop_app.resources": "resources"},
)
