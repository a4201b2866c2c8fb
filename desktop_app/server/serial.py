"""JSON of the core Cytomine domains (project, ontology, term, relation), y-up, ms strings.

Field names and ``class`` values are Cytomine 5.2's (cytomine-api.md section 3), so a
property's ``domainClassName`` round-trips with real servers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import AnnotationKind
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Ontology, RelationTerm, Term
from desktop_app.model.project import Project
from desktop_app.server.counts import annotation_counts
from desktop_app.server.wire import ms_str

Json = dict[str, Any]

CLS = {
    "project": "be.cytomine.domain.project.Project",
    "ontology": "be.cytomine.domain.ontology.Ontology",
    "term": "be.cytomine.domain.ontology.Term",
    "relationterm": "be.cytomine.domain.ontology.RelationTerm",
    "imageinstance": "be.cytomine.domain.image.ImageInstance",
    "abstractimage": "be.cytomine.domain.image.AbstractImage",
    "abstractslice": "be.cytomine.domain.image.AbstractSlice",
    "sliceinstance": "be.cytomine.domain.image.SliceInstance",
    "uploadedfile": "be.cytomine.domain.image.UploadedFile",
    "storage": "be.cytomine.domain.image.server.Storage",
    "annotation": "be.cytomine.domain.ontology.UserAnnotation",
    "reviewedannotation": "be.cytomine.domain.ontology.ReviewedAnnotation",
    "annotationterm": "be.cytomine.domain.ontology.AnnotationTerm",
    "property": "be.cytomine.domain.meta.Property",
    "description": "be.cytomine.domain.meta.Description",
    "attachedfile": "be.cytomine.domain.meta.AttachedFile",
    "imagegroup": "be.cytomine.domain.image.group.ImageGroup",
    "imagesequence": "be.cytomine.domain.image.multidim.ImageSequence",
    "software": "be.cytomine.processing.Software",
    "softwareparameter": "be.cytomine.processing.SoftwareParameter",
    "job": "be.cytomine.processing.Job",
    "jobparameter": "be.cytomine.processing.JobParameter",
    "jobtemplate": "be.cytomine.processing.JobTemplate",
    "user": "be.cytomine.domain.security.User",
    "userposition": "be.cytomine.domain.social.PersistentUserPosition",
    "projectconnection": "be.cytomine.domain.social.PersistentProjectConnection",
}


def base(key: str, row: Any) -> Json:
    """``class``, ``id``, ``created``, ``updated`` (section 2.2), plus our ``uid``."""
    return {
        "class": CLS[key],
        "id": row.pk,
        "created": ms_str(row.created),
        "updated": ms_str(getattr(row, "updated", None)),
        "deleted": None,
        "uid": row.uid,
    }


def project_json(db: Session, p: Project) -> Json:
    ontology = db.get(Ontology, p.ontology_pk) if p.ontology_pk else None
    counts = annotation_counts(db, p.pk)  # cached, kept exact by the change feed
    n_images = db.scalar(
        select(func.count()).select_from(ImageInstance).where(ImageInstance.project_pk == p.pk)
    )
    out = base("project", p)
    out.update(
        {
            "name": p.name,
            "ontology": p.ontology_pk,
            "ontologyName": ontology.name if ontology else None,
            "blindMode": p.blind_mode,
            "areImagesDownloadable": p.are_images_downloadable,
            "numberOfSlides": 0,
            "numberOfImages": n_images or 0,
            "numberOfAnnotations": counts.get(AnnotationKind.USER, 0),
            "numberOfJobAnnotations": counts.get(AnnotationKind.ALGO, 0),
            "numberOfReviewedAnnotations": counts.get(AnnotationKind.REVIEWED, 0),
            "isClosed": p.is_closed,
            "isReadOnly": p.is_read_only,
            "isRestricted": p.is_restricted,
            "hideUsersLayers": p.hide_users_layers,
            "hideAdminsLayers": p.hide_admins_layers,
            "mode": p.mode.value,
        }
    )
    return out


def term_json(db: Session, t: Term, parent: int | None = None, *, lookup: bool = True) -> Json:
    if lookup and parent is None:
        parent = db.scalar(
            select(RelationTerm.term1_pk).where(RelationTerm.term2_pk == t.pk).limit(1)
        )
    out = base("term", t)
    out.update(
        {
            "name": t.name,
            "comment": t.comment,
            "ontology": t.ontology_pk,
            "color": t.color,
            "parent": parent,
        }
    )
    return out


def relation_term_json(db: Session, rt: RelationTerm) -> Json:
    out = base("relationterm", rt)
    out.update({"relation": rt.relation_pk, "term1": rt.term1_pk, "term2": rt.term2_pk})
    return out


def ontology_json(db: Session, o: Ontology) -> Json:
    terms = list(db.scalars(select(Term).where(Term.ontology_pk == o.pk).order_by(Term.pk)))
    pk_set = {t.pk for t in terms}
    parent_of: dict[int, int] = {}
    if pk_set:
        for t1, t2 in db.execute(
            select(RelationTerm.term1_pk, RelationTerm.term2_pk).where(
                RelationTerm.term2_pk.in_(pk_set)
            )
        ):
            parent_of[t2] = t1
    children: dict[int | None, list[Term]] = {}
    for t in terms:
        children.setdefault(parent_of.get(t.pk), []).append(t)

    def branch(t: Term, depth: int) -> Json:
        kids = children.get(t.pk, []) if depth < 50 else []
        return {
            "class": CLS["term"],
            "id": t.pk,
            "name": t.name,
            "title": t.name,
            "data": t.name,
            "color": t.color,
            "parent": parent_of.get(t.pk),
            "ontology": o.pk,
            "attr": {"id": t.pk, "type": CLS["term"]},
            "checked": False,
            "key": t.pk,
            "children": [branch(k, depth + 1) for k in kids],
            "isFolder": bool(kids),
            "hideCheckbox": bool(kids),
        }

    projects = list(db.scalars(select(Project).where(Project.ontology_pk == o.pk)))
    out = base("ontology", o)
    out.update(
        {
            "name": o.name,
            "user": o.user_pk,
            "title": o.name,
            "attr": {"id": o.pk, "type": CLS["ontology"]},
            "data": o.name,
            "isFolder": True,
            "key": o.pk,
            "hideCheckbox": True,
            "state": "open",
            "projects": [{"id": p.pk, "name": p.name} for p in projects],
            "children": [branch(t, 0) for t in children.get(None, [])],
        }
    )
    return out
