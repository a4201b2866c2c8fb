"""Sync UI fixtures: the sync tests' real server process, worlds and devices."""

from __future__ import annotations

from tests.sync.conftest import (  # noqa: F401 - fixtures re-exported for these tests
    _isolated_keyring,
    devices,
    server,
    slide,
    world,
)
