"""SciTran-style container API (groups, projects, sessions, acquisitions, analyses,
collections, their notes/files/tags/permissions, ``users/self``), one router.

Split in modules only to keep each small; app.py imports this package's ``router``.
"""

from __future__ import annotations

from fastapi import APIRouter

from desktop_app.server.routes.scitran import (
    analysis_lists,
    containers,
    extras,
    groups,
    info,
    nested,
    nested_analyses,
    notes,
    permissions,
    tags,
    template,
    user_edit,
    users,
)

router = APIRouter(tags=["scitran"])
# extras first: its literal sub-paths (/notes, /files, /tags) must not be shadowed.
# The modules' routes are copied in, not included: see ``server.app.create_app``.
for _module in (
    users,
    user_edit,
    template,
    groups,
    extras,
    tags,
    info,
    permissions,
    nested,
    nested_analyses,
    analysis_lists,
    notes,
    containers,
):
    router.routes.extend(_module.router.routes)
