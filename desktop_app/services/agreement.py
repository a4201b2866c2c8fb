"""Agreement between a project's readers, and the CSV of every decision (issue 13).

Reads the per-reader decisions (:mod:`desktop_app.services.review_decisions`) and feeds
the pure statistics of :mod:`desktop_app.core.agreement`. Readers are named by their
username and terms by their name, so the figures read the same in every cache (local
term keys differ between workstations). A reader who gave several terms to one
annotation counts as one label, the names joined with `` + `` in name order.  Term
statistics compare the readings of an annotation both readers *accepted*: a rejected
outline's term is moot (as in the adjudication queue), and a decision without a term
takes no part either (see ``PairAgreement``).  With no such annotation the term figures
are None, never a perfect score.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from sqlalchemy import select

from desktop_app.core.agreement import Agreement, PairAgreement, Rating, agreement
from desktop_app.model.annotation import Annotation
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.review import Verdict
from desktop_app.services.review_decisions import (
    ReaderDecision,
    adjudications,
    reader_decisions,
)
from desktop_app.store.uow import Store

CSV_COLUMNS = (
    "project",
    "image",
    "image_name",
    "annotation",
    "reader",
    "role",
    "decision",
    "terms",
    "reason",
    "comment",
    "decided_at",
)


def image_project(store: Store, image_pk: int) -> int | None:
    """The project of a cached image (None when the cache has no such image)."""
    with store.read() as s:
        pk = s.scalar(select(ImageInstance.project_pk).where(ImageInstance.pk == image_pk))
    return None if pk is None else int(pk)


def _term_names(store: Store, decisions: Iterable[ReaderDecision]) -> dict[int, str]:
    wanted = {t for d in decisions for t in d.term_pks}
    if not wanted:
        return {}
    with store.read() as s:
        rows = s.execute(select(Term.pk, Term.name).where(Term.pk.in_(wanted))).all()
    return {int(pk): str(name) for pk, name in rows}


def _term_label(term_pks: tuple[int, ...], names: dict[int, str]) -> str | None:
    if not term_pks:
        return None
    return " + ".join(sorted((names.get(t, f"term {t}") for t in term_pks), key=str.casefold))


def ratings_by_reader(
    decisions: Iterable[ReaderDecision], names: dict[int, str]
) -> dict[str, dict[int, Rating]]:
    """username → annotation pk → Rating, readers in name order; a rejection's Rating
    has no term."""
    out: dict[str, dict[int, Rating]] = {}
    for d in sorted(decisions, key=lambda d: (d.reader.casefold(), d.annotation_pk)):
        term = _term_label(d.term_pks, names) if d.decision is Verdict.ACCEPTED else None
        out.setdefault(d.reader, {})[d.annotation_pk] = Rating(d.decision.value, term)
    return out


def project_agreement(store: Store, project_pk: int, image_pk: int | None = None) -> Agreement:
    """The agreement of the project's readers (on one image when ``image_pk`` is given)."""
    decisions = reader_decisions(store, project_pk, image_pk)
    names = _term_names(store, decisions)
    return agreement(ratings_by_reader(decisions, names))


def _number(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def pair_json(p: PairAgreement) -> dict[str, Any]:
    return {
        "a": p.a,
        "b": p.b,
        "n": p.n,
        "percent_agreement": _number(p.percent_agreement),
        "decision_kappa": _number(p.decision_kappa),
        "term_kappa": _number(p.term_kappa),
        "term_n": p.term_n,
        "term_percent_agreement": _number(p.term_percent_agreement),
    }


def agreement_json(result: Agreement) -> dict[str, Any]:
    """The ``workstation agreement --json`` document (``pairs``, ``fleiss_kappa``,
    ``confusion``; ``confusion[i]`` belongs to ``pairs[i]``)."""
    return {
        "readers": list(result.readers),
        "pairs": [pair_json(p) for p in result.pairs],
        "fleiss_kappa": _number(result.fleiss_kappa),
        "fleiss_n": result.fleiss_n,
        "confusion": [
            {"a": p.a, "b": p.b, "labels": list(p.labels), "matrix": p.matrix} for p in result.pairs
        ],
    }


def _ref(server_id: int | None, pk: int) -> str:
    return str(server_id) if server_id is not None else f"local:{pk}"


def write_decisions_csv(
    store: Store, project_pk: int, out: TextIO, image_pk: int | None = None
) -> int:
    """Every live decision (readers' and adjudicators') as CSV rows; returns the row count.

    Images and annotations are named by their server id (``local:<id>`` before their
    first sync), which is what another workstation of the team would show.
    """
    decisions = reader_decisions(store, project_pk, image_pk)
    decisions += adjudications(store, project_pk, image_pk)
    decisions.sort(key=lambda d: (d.image_pk, d.annotation_pk, d.role.value, d.reader))
    names = _term_names(store, decisions)
    with store.read() as s:
        project_sid = s.scalar(select(Project.server_id).where(Project.pk == project_pk))
        ann_ids = {
            int(pk): _ref(sid, int(pk))
            for pk, sid in s.execute(
                select(Annotation.pk, Annotation.server_id).where(
                    Annotation.pk.in_({d.annotation_pk for d in decisions} or {-1})
                )
            )
        }
        images = {
            int(pk): (_ref(sid, int(pk)), name or "")
            for pk, sid, name in s.execute(
                select(ImageInstance.pk, ImageInstance.server_id, AbstractImage.original_filename)
                .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
                .where(ImageInstance.project_pk == project_pk)
            )
        }
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for d in decisions:
        image_ref, image_name = images.get(d.image_pk, (f"local:{d.image_pk}", ""))
        writer.writerow(
            [
                _ref(project_sid, project_pk),
                image_ref,
                image_name,
                ann_ids.get(d.annotation_pk, f"local:{d.annotation_pk}"),
                d.reader,
                d.role.value,
                d.decision.value,
                "; ".join(
                    sorted((names.get(t, f"term {t}") for t in d.term_pks), key=str.casefold)
                ),
                d.reason or "",
                d.comment or "",
                d.decided_at.isoformat(timespec="seconds"),
            ]
        )
    return len(decisions)


__all__ = [
    "CSV_COLUMNS",
    "agreement_json",
    "image_project",
    "pair_json",
    "project_agreement",
    "ratings_by_reader",
    "write_decisions_csv",
]
