"""Home fixtures: the sync tests' real server, plus a SciTran hierarchy made over its API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.server.harness import Server
from tests.sync.conftest import (  # noqa: F401 - fixtures re-exported for these tests
    _isolated_keyring,
    devices,
    server,
    slide,
    world,
)
from tests.ui.home.helpers import make_hierarchy


@pytest.fixture
def hierarchy(
    server: Server,  # noqa: F811
    world: dict[str, Any],  # noqa: F811
    slide: Path,  # noqa: F811
) -> dict[str, Any]:
    return make_hierarchy(server, world, slide, f"{world['project']}")
