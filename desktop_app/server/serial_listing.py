"""The annotation listing's fast path: JSON text straight from row tuples (section 4.1).

``serial_annotation.listing_rows`` builds dicts for callers that post-process them;
the listing route instead writes each row's JSON text directly (no dict, no generic
encoder) from column arrays, and converts timestamps and geometries for the whole page
at once, because a 100k-annotation image must list in seconds.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    BindParameter,
    String,
    bindparam,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation, AnnotationKind
from desktop_app.server.geom import to_wire_many
from desktop_app.server.serial_annotation import image_geometry, terms_of, units
from desktop_app.server.state import state_of
from desktop_app.server.wire import ms

_enc = json.encoder.encode_basestring


def _num(v: float) -> str:
    """A float as ``json.dumps`` writes it (non-finite values are refused as there)."""
    if v != v or v in (math.inf, -math.inf):
        raise ValueError("Out of range float values are not JSON compliant")
    return float.__repr__(float(v))


def _opt_int(v: int | None) -> str:
    return "null" if v is None else str(v)


def micros_column(db: Session, col: Any) -> Any:
    """A select expression giving ``col`` (a UTC timestamp) as raw epoch microseconds.

    SQLite: the stored text (parsed by ``ms_array``); PostgreSQL: exact integer micros.
    """
    if db.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", col) * 1_000_000, BigInteger)
    return type_coerce(col, String())


def ms_array(raw: list[Any]) -> list[int | None]:
    """``micros_column`` values -> epoch ms, exactly as ``wire.ms`` rounds them."""
    if not raw:
        return []
    try:
        if isinstance(next((v for v in raw if v is not None), 0), str):
            us = np.array(raw, dtype="datetime64[us]")
            nat = np.isnat(us)
            micros = us.astype(np.int64)
        else:
            nat = np.array([v is None for v in raw])
            micros = np.array([0 if v is None else v for v in raw], dtype=np.int64)
    except (ValueError, TypeError, OverflowError):
        return [_ms_slow(v) for v in raw]
    # wire.ms: round(timestamp * 1000) with timestamp = micros / 1e6 (both IEEE, half even)
    out = np.round(micros.astype(np.float64) / 1e6 * 1000).astype(np.int64).tolist()
    if nat.any():
        for n in np.flatnonzero(nat).tolist():
            out[n] = None
    return out


def _ms_slow(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, str):
        return ms(datetime.fromisoformat(v))
    return int(round(int(v) / 1e6 * 1000))


def page_rows_statement(db: Session, groups: set[str], kind: AnnotationKind) -> Any:
    """``SELECT listing_columns WHERE pk IN :pks`` (expanding), built once per shape and app.

    Built once so that its SQL text repeats: compiled once, and on PostgreSQL prepared
    once per connection.
    """
    statements = state_of(db).page_statements
    key = (frozenset(groups), kind)
    stmt = statements.get(key)
    if stmt is None:
        pks: BindParameter[list[int]] = bindparam("pks", expanding=True)
        stmt = statements[key] = select(*listing_columns(db, groups, kind)).where(
            Annotation.pk.in_(pks)
        )
    return stmt


def listing_columns(db: Session, groups: set[str], kind: AnnotationKind) -> list[Any]:
    """Columns for ``listing_json``: pk first, then what the groups need, labelled."""
    t = Annotation.__table__.c
    cols: list[Any] = [t.pk]
    if "meta" in groups:
        cols += [
            t.uid,
            micros_column(db, t.created).label("created_us"),
            micros_column(db, t.updated).label("updated_us"),
            t.slice_pk,
            t.project_pk,
            t.user_pk,
            t.nb_comments,
            t.count_reviewed_annotations,
        ]
        if kind is AnnotationKind.REVIEWED:
            cols += [t.parent_ident, t.review_user_pk]
    if "meta" in groups or "wkt" in groups or "gis" in groups:
        cols.append(t.image_pk)
    if "wkt" in groups:
        cols += [t.location, t.geometry_compression]
    if "gis" in groups:
        cols += [t.area, t.perimeter, t.min_x, t.min_y, t.max_x, t.max_y]
    return cols


def _term_json(pairs: list[tuple[int, int]]) -> str:
    by_term: dict[int, list[int]] = defaultdict(list)
    for t, u in pairs:
        by_term[t].append(u)
    ids = sorted(by_term)
    ubt = ",".join(
        f'{{"id":{t},"term":{t},"user":[{",".join(map(str, sorted(by_term[t])))}]}}' for t in ids
    )
    return f'"term":[{",".join(map(str, ids))}],"userByTerm":[{ubt}]'


def listing_json(
    db: Session,
    rows: list[Any],
    groups: set[str],
    kind: AnnotationKind,
    terms: dict[int, list[tuple[int, int]]] | None = None,
) -> list[str]:
    """Rows selected with ``listing_columns`` -> one JSON object text per row.

    Same fields and values as ``listing_rows`` (checked by tests/server); ``terms`` may
    be given when the caller fetched them with a join instead of by pk.
    """
    if not rows:
        return []
    cols = {name: n for n, name in enumerate(rows[0]._fields)}
    column = list(zip(*rows, strict=True))

    def c(name: str) -> tuple[Any, ...]:
        return column[cols[name]]

    pks = c("pk")
    frags: list[list[str]] = []  # per group, one fragment per row
    cls = CYTOMINE_CLASS[kind]
    root = json.dumps(db.info.get("base_url", ""))[1:-1]
    reviewed_kind = kind is AnnotationKind.REVIEWED
    dims: dict[int, tuple[int, int, float | None]] = {}
    if "image_pk" in cols:
        dims = {i: image_geometry(db, i) for i in set(c("image_pk"))}
    if "meta" in groups:
        created, updated = ms_array(list(c("created_us"))), ms_array(list(c("updated_us")))
        it = zip(
            pks,
            c("uid"),
            created,
            updated,
            c("image_pk"),
            c("slice_pk"),
            c("project_pk"),
            c("user_pk"),
            c("nb_comments"),
            c("count_reviewed_annotations"),
            strict=True,
        )
        frags.append(
            [
                f'"created":{cr},"updated":{"null" if up is None else up},"image":{im},'
                f'"slice":{_opt_int(sl)},"project":{pr},"user":{us},"nbComments":{nbc},'
                f'"countReviewedAnnotations":{ncr},'
                f'"reviewed":{"true" if reviewed_kind or ncr > 0 else "false"},'
                f'"uid":{"null" if uid is None else _enc(uid)},'
                f'"cropURL":"{root}/api/userannotation/{pk}/crop.png",'
                f'"smallCropURL":"/api/userannotation/{pk}/crop.png?maxSize=256",'
                f'"url":"/api/userannotation/{pk}/crop.png",'
                f'"imageURL":"/#/project/{pr}/image/{im}/annotation/{pk}"'
                for pk, uid, cr, up, im, sl, pr, us, nbc, ncr in it
            ]
        )
        if reviewed_kind:
            frags.append(
                [
                    f'"parentIdent":{_opt_int(pi)},"reviewUser":{_opt_int(ru)}'
                    for pi, ru in zip(c("parent_ident"), c("review_user_pk"), strict=True)
                ]
            )
    if "wkt" in groups:
        images = c("image_pk")
        wkts = to_wire_many(list(c("location")), [dims[i][1] for i in images])
        frags.append(
            [
                f'"location":"{w}","geometryCompression":{_num(gc) if gc else "0.0"}'
                for w, gc in zip(wkts, c("geometry_compression"), strict=True)
            ]
        )
    if "gis" in groups:
        it2 = zip(
            c("image_pk"),
            c("area"),
            c("perimeter"),
            c("min_x"),
            c("min_y"),
            c("max_x"),
            c("max_y"),
            strict=True,
        )
        gis: list[str] = []
        for im, ar, pe, x0, y0, x1, y1 in it2:
            height, mpp = dims[im][1], dims[im][2]
            area, au, perim, pu = units(ar, pe, mpp)
            gis.append(
                f'"area":{_num(area)},"areaUnit":"{au}","perimeter":{_num(perim)},'
                f'"perimeterUnit":"{pu}","centroid":{{"x":{_num((x0 + x1) / 2)},'
                f'"y":{_num(height - (y0 + y1) / 2)}}}'
            )
        frags.append(gis)
    if "term" in groups:
        if terms is None:
            terms = terms_of(db, list(pks), kind)
        empty = '"term":[],"userByTerm":[]'
        get = terms.get
        frags.append([_term_json(pairs) if (pairs := get(pk)) else empty for pk in pks])
    head = f'{{"class":"{cls}","id":'
    if not frags:
        return [f"{head}{pk}}}" for pk in pks]
    return [f"{head}{pk},{','.join(fs)}}}" for pk, *fs in zip(pks, *frags, strict=True)]
