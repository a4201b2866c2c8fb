"""Review mode fixtures: the annotation workbench's real window, slide and cache."""

from __future__ import annotations

from tests.ui.annotations.conftest import ann_slide, world  # noqa: F401 - re-exported fixtures
