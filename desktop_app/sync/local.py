"""Small helpers shared by checkout, pull, push and conflicts: id mapping and versions.

Server ids appear only here and at request-building time (sync-design 5.2): every
local foreign key is a local ``pk``; a server row is matched to its local row through
``server_id`` (or, for our own creates whose answer was lost, through ``uid``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.geometry import from_cytomine_wkt, to_cytomine_wkt, to_cytomine_wkts
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.security import User
from desktop_app.model.sync import AckedLog, CommandLog, OpKind, OpState
from desktop_app.protocol.cytomine.answer_base import version_of as version_of
from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson

#: Ops that are still the engine's to deliver (sync-design 5.4).
UNFINISHED = (OpState.PENDING, OpState.INFLIGHT, OpState.NEEDS_RECONCILE)
#: Geometry equality tolerance in pixels: the server rewrites coordinates (y flip).
GEOM_TOLERANCE = 1e-6


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def user_pk_for(session: Session, server_id: int | None, username: str | None = None) -> int:
    """The local user row of a server user, created (as a placeholder) when unknown.

    Authors of pulled annotations need a local row because ``annotation.user_pk`` is a
    foreign key; the placeholder's username is filled in when the members list arrives.
    """
    if server_id is None:
        raise ValueError("an annotation without a user")
    user = session.scalar(select(User).where(User.server_id == server_id))
    if user is None:
        name = username or f"user-{server_id}"
        if username and session.scalar(select(User.pk).where(User.username == name)):
            name = f"{username}#{server_id}"
        user = User(username=name, server_id=server_id, sync_state=SyncState.SYNCED)
        session.add(user)
        session.flush()
    elif (
        username
        and user.username.startswith("user-")
        and session.scalar(select(User.pk).where(User.username == username)) is None
    ):
        user.username = username
    return user.pk


def image_height(session: Session, image_pk: int) -> float:
    """Height of an image instance in level-0 pixels (the y flip of the wire needs it).

    Memoised per session: a push or pull batch asks it once per annotation.
    """
    cache = session.info.setdefault("image_height", {})
    if image_pk in cache:
        return float(cache[image_pk])
    height = session.scalar(
        select(AbstractImage.height)
        .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
        .where(ImageInstance.pk == image_pk)
    )
    if not height:
        raise ValueError(f"image {image_pk} has no height")
    cache[image_pk] = float(height)
    return float(height)


def wire_wkt(location: bytes, height: float) -> str:
    """Stored WKB (y down) → Cytomine WKT (y up)."""
    return to_cytomine_wkt(shapely.from_wkb(location), height)


def wire_wkts(locations: list[bytes], height: float) -> list[str]:
    """``wire_wkt`` for many rows of one image at once."""
    if not locations:
        return []
    return to_cytomine_wkts(shapely.from_wkb(np.asarray(locations, dtype=object)), height)


def local_wkt(wire: str, height: float) -> str:
    """Cytomine WKT (y up) → WKT in the cache's frame (y down)."""
    return shapely.to_wkt(from_cytomine_wkt(wire, height), rounding_precision=-1, trim=True)


def same_geometry(a: str | bytes | None, b: str | bytes | None) -> bool:
    """Equal up to a tiny tolerance (server normalisation must not look like an edit)."""
    if a is None or b is None:
        return a is b
    ga = shapely.from_wkb(a) if isinstance(a, bytes) else shapely.from_wkt(a)
    gb = shapely.from_wkb(b) if isinstance(b, bytes) else shapely.from_wkt(b)
    if ga.geom_type != gb.geom_type:
        return False
    return bool(shapely.equals_exact(shapely.normalize(ga), shapely.normalize(gb), GEOM_TOLERANCE))


def annotation_view(session: Session, ann: Annotation, *, deleted: bool = False) -> dict[str, Any]:
    """A local annotation as conflict records keep it: y-down WKT, live term pks."""
    terms = sorted(
        session.scalars(
            select(AnnotationTerm.term_pk).where(
                AnnotationTerm.annotation_pk == ann.pk, AnnotationTerm.local_deleted.is_(False)
            )
        )
    )
    return {
        "location": shapely.to_wkt(
            shapely.from_wkb(ann.location), rounding_precision=-1, trim=True
        ),
        "terms": terms,
        "deleted": deleted or ann.local_deleted,
        "updated": ann.server_updated,
    }


def server_view(obj: Mapping[str, Any] | None, height: float) -> dict[str, Any] | None:
    """A server annotation JSON in the same frame as :func:`annotation_view` (y down)."""
    if obj is None:
        return {"deleted": True}
    loc = obj.get("location")
    return {
        "location": local_wkt(loc, height) if isinstance(loc, str) else None,
        "terms_server": obj.get("term"),
        "deleted": False,
        "updated": version_of(obj),
        "id": obj.get("id"),
        "reviewUser": obj.get("reviewUser"),
    }


def unfinished_pks(session: Session, entity_type: str) -> set[int]:
    """Local pks of ``entity_type`` rows that still have ops to deliver."""
    return set(
        session.scalars(
            select(CommandLog.entity_pk).where(
                CommandLog.entity_type == entity_type, CommandLog.state.in_(UNFINISHED)
            )
        )
    )


def any_unfinished(session: Session, entity_type: str, pks: Any) -> bool:
    """Whether any ``entity_type`` row among ``pks`` (a list or a subquery of pks) still
    has ops to deliver: such an op must go before the one being planned."""
    return (
        session.scalar(
            select(CommandLog.seq)
            .where(
                CommandLog.entity_type == entity_type,
                CommandLog.entity_pk.in_(pks),
                CommandLog.state.in_(UNFINISHED),
            )
            .limit(1)
        )
        is not None
    )


_TYPE = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def decode_many(
    rows: list[AnnotationJson], images: dict[int, tuple[int, float]]
) -> list[tuple[Any, ...]]:
    """Vectorised y-up WKT → y-down WKB + bbox/area/perimeter for a whole page."""
    if not rows:
        return []
    geoms = shapely.from_wkt(np.array([r["location"] for r in rows], dtype=object))
    heights = np.array([images[r["image"]][1] for r in rows], dtype=float)
    counts = shapely.get_num_coordinates(geoms)
    coords = shapely.get_coordinates(geoms)
    coords[:, 1] = np.repeat(heights, counts) - coords[:, 1]
    geoms = shapely.set_coordinates(geoms.copy(), coords)
    wkb = shapely.to_wkb(geoms)
    bounds = shapely.bounds(geoms).tolist()
    areas, lengths = shapely.area(geoms).tolist(), shapely.length(geoms).tolist()
    types = shapely.get_type_id(geoms).tolist()
    return [
        (wkb[i], _TYPE.get(types[i], "Polygon"), *bounds[i], areas[i], lengths[i])
        for i in range(len(rows))
    ]


def unchanged_row(
    r: AnnotationJson,
    local: dict[int, tuple[int, int | None, SyncState]],
    busy: set[int],
    users: dict[int, int],
    touched: dict[int, AnnotationJson],
    s: Session,
) -> bool:
    """A pulled annotation row the cache already has at this version, synced (e.g. the
    rows a push just made, coming back in the feed): only its term links may have
    changed, so ``pull.apply_page`` neither decodes its geometry nor re-encodes it."""
    hit = local.get(r["id"])
    if hit is None or hit[0] in busy or hit[1] != version_of(r) or hit[2] is not SyncState.SYNCED:
        return False
    for who in (r.get("user"), r.get("reviewUser")):  # term links by them are merged
        if who is not None and who not in users:
            users[who] = user_pk_for(s, who)
    touched[hit[0]] = r
    return True


def settle_sent(
    s: Session,
    row: Any,
    entity: str,
    seqs: Sequence[int],
    server_id: int | None,
    *,
    deleted: bool,
    kinds: Sequence[OpKind] | None = None,
) -> None:
    """The answered ops leave the outbox (an ``acked_log`` row each); the entity row
    takes its server id and becomes synced, or goes if the server deleted it, unless
    another op of its (of ``kinds``, when given) is still waiting to be sent."""
    for seq in seqs:
        op = s.get(CommandLog, seq)
        if op is not None:
            op.state, op.last_error = OpState.DONE, None
            s.add(AckedLog(op_uid=op.op_uid, server_id=server_id, server_updated=None))
    if row is None:
        return
    waiting = select(CommandLog.seq).where(
        CommandLog.entity_type == entity,
        CommandLog.entity_pk == row.pk,
        CommandLog.state.in_(UNFINISHED),
    )
    if kinds is not None:
        waiting = waiting.where(CommandLog.kind.in_(list(kinds)))
    later = s.scalar(waiting.limit(1)) is not None
    if deleted and not later:
        s.delete(row)
        return
    row.server_id = server_id
    if not later:
        row.sync_state, row.dirty_fields = SyncState.SYNCED, []
