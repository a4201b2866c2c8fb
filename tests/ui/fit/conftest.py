"""The whole window (workbench, sync, review) on the annotation tests' slide and cache."""

from __future__ import annotations

from tests.ui.annotations.conftest import ann_slide, world  # noqa: F401 - re-exported fixtures
