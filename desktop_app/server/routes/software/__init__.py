"""Cytomine GR processing routes: software, parameters, software-project, jobs, templates."""

from __future__ import annotations

from fastapi import APIRouter

from desktop_app.server.routes.software import jobs, software

router = APIRouter(tags=["processing"])
router.include_router(software.router)
router.include_router(jobs.router)
