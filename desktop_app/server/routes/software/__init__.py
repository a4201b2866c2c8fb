"""Cytomine GR processing routes: software, parameters, software-project, jobs, templates."""

from __future__ import annotations

from fastapi import APIRouter

from desktop_app.server.routes.software import jobs, software

router = APIRouter(tags=["processing"])
# The modules' routes are copied in, not included: see ``server.app.create_app``.
router.routes.extend(software.router.routes)
router.routes.extend(jobs.router.routes)
