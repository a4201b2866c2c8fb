"""The two hot project reads of a viewer: ``GET project/{id}.json`` and its change feed.

Why a module of its own: a viewer polls both every few seconds, and the generic path
(``rights.require_project`` + ``serial.project_json``) loaded the Project row with its
``selectin`` members, the Ontology row and an image count: four statements, ORM
identity-map work and statements compiled per request (~2-3 ms of server CPU).  Here:

* rights come from ``rights_cache`` (grants remembered 5 s, refusals re-checked), as
  the annotation listing does;
* the project's columns, its ontology's name and its image count are ONE prebuilt Core
  statement (the counts of annotations stay in ``counts``, kept exact by the feed);
* the feed page is a prebuilt Core statement returning plain tuples;
* on PostgreSQL both run in autocommit (no BEGIN/ROLLBACK round trips).

The JSON is exactly ``serial.project_json``'s (same keys, same order).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import AnnotationKind
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Ontology
from desktop_app.model.project import Project, ProjectMode
from desktop_app.model.sync import ChangeFeed
from desktop_app.protocol.sync_ext import Change, ChangesPage
from desktop_app.server.auth import Caller
from desktop_app.server.counts import annotation_counts
from desktop_app.server.db import autocommit_reads
from desktop_app.server.errors import not_found
from desktop_app.server.rights_cache import require_project_access
from desktop_app.server.serial import CLS
from desktop_app.server.wire import ms_str

Json = dict[str, Any]

_N_IMAGES = (
    select(func.count())
    .select_from(ImageInstance)
    .where(ImageInstance.project_pk == Project.pk)
    .correlate(Project)
    .scalar_subquery()
)
#: Built once: compiling a select with a join and a subquery costs more than running it.
_PROJECT = (
    select(
        Project.created,
        Project.updated,
        Project.uid,
        Project.name,
        Project.ontology_pk,
        Ontology.name,
        Project.blind_mode,
        Project.are_images_downloadable,
        _N_IMAGES,
        Project.is_closed,
        Project.mode,
        Project.hide_users_layers,
        Project.hide_admins_layers,
    )
    .outerjoin(Ontology, Ontology.pk == Project.ontology_pk)
    .where(Project.pk == bindparam("pk"), Project.deleted.is_(None))
)
_FEED = (
    select(
        ChangeFeed.seq,
        ChangeFeed.entity_type,
        ChangeFeed.entity_pk,
        ChangeFeed.entity_uid,
        ChangeFeed.action,
        ChangeFeed.updated_ms,
    )
    .where(ChangeFeed.project_pk == bindparam("pk"), ChangeFeed.seq > bindparam("since"))
    .order_by(ChangeFeed.seq)
    .limit(bindparam("limit"))
)


def project_read(db: Session, caller: Caller, project_pk: int) -> Json:
    """``GET /api/project/{id}.json``: 403/404 as ``require_project``, JSON as ``project_json``."""
    autocommit_reads(db)
    require_project_access(db, caller, project_pk)
    row = db.execute(_PROJECT, {"pk": project_pk}).first()
    if row is None:  # deleted since the grant was remembered
        raise not_found("Project", project_pk)
    (created, updated, uid, name, onto, onto_name, blind, downloadable, n_images) = row[:9]
    closed, mode, hide_users, hide_admins = row[9:]
    counts = annotation_counts(db, project_pk)
    return {
        "class": CLS["project"],
        "id": project_pk,
        "created": ms_str(created),
        "updated": ms_str(updated),
        "deleted": None,
        "uid": uid,
        "name": name,
        "ontology": onto,
        "ontologyName": onto_name,
        "blindMode": blind,
        "areImagesDownloadable": downloadable,
        "numberOfSlides": 0,
        "numberOfImages": n_images or 0,
        "numberOfAnnotations": counts.get(AnnotationKind.USER, 0),
        "numberOfJobAnnotations": counts.get(AnnotationKind.ALGO, 0),
        "numberOfReviewedAnnotations": counts.get(AnnotationKind.REVIEWED, 0),
        "isClosed": closed,
        "isReadOnly": mode is ProjectMode.READ_ONLY,
        "isRestricted": mode is ProjectMode.RESTRICTED,
        "hideUsersLayers": hide_users,
        "hideAdminsLayers": hide_admins,
        "mode": mode.value,
    }


def changes_page(
    db: Session, caller: Caller, project_pk: int, since: int, max_: int
) -> ChangesPage:
    """``GET /api/project/{id}/changes.json`` (docs/api.md 5.3), oldest first."""
    autocommit_reads(db)
    require_project_access(db, caller, project_pk)
    rows = db.execute(_FEED, {"pk": project_pk, "since": since, "limit": max_ + 1}).all()
    more = len(rows) > max_
    rows = rows[:max_]
    return ChangesPage(
        changes=[
            Change(seq=s, entity=e, id=i, uid=u, action=a, updated=m) for s, e, i, u, a, m in rows
        ],
        cursor=rows[-1][0] if rows else since,
        hasMore=more,
    )
