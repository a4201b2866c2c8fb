"""SciTran's public containers: what a request without credentials may read.

SciTran treats a request without an ``Authorization`` header as the public: it may GET
a container whose own ``public`` flag is set (an analysis: when its parent's is), and
lists show only such containers; anything else is 403.  Only the container list and
detail routes (and a project's session list) take this dependency; every other route,
and every write, still requires a caller.  A public container shows what a non-member
sees: no subject names or hashes, no one's permissions.  ``--require-path-signature``
turns the public off (as it turns off the ``scitran-user`` key).
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from desktop_app.model.scitran import Analysis, ContainerType
from desktop_app.server import scitran_key
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.scitran_access import MODELS, get_container, parse_id


async def caller_or_public(request: Request, db: Session = Depends(get_db)) -> Caller | None:
    """The caller, or ``None`` for an anonymous GET (SciTran's public request).  A server
    run with ``--require-path-signature`` (every request signed) has no public."""
    strict = request.app.state.settings.require_path_signature
    if not strict and not request.headers.get("authorization") and request.method == "GET":
        return None
    return await current_caller(request, db)


def is_public(db: Session, ctype: ContainerType, row: Any, depth: int = 0) -> bool:
    if ctype is ContainerType.ANALYSIS:
        parent = db.get(MODELS[row.container_type], row.container_pk)
        return parent is not None and depth < 5 and is_public(db, row.container_type, parent, 1)
    return bool(row.public) and getattr(row, "deleted", None) is None


def require_public(db: Session, ctype: ContainerType, cid: str) -> Any:
    """The container ``cid`` if it is public: 404 if absent, else 403 as SciTran."""
    row = get_container(db, ctype, parse_id(cid, ctype.value))
    if not is_public(db, ctype, row):
        raise scitran_key.anonymous_error("")
    return row


def public_rows(db: Session, ctype: ContainerType, **parents: int) -> list[Any]:
    """The public containers of one kind (``parents``: column filters such as
    ``project_pk=3``), in id order; analyses follow their parent."""
    model = MODELS[ctype]
    if ctype is ContainerType.ANALYSIS:  # one query: an anonymous list costs no per-row read
        under_public = [
            and_(Analysis.container_type == kind, Analysis.container_pk.in_(_public_pks(m)))
            for kind, m in MODELS.items()
            if kind is not ContainerType.ANALYSIS
        ]
        return list(db.scalars(select(Analysis).where(or_(*under_public)).order_by(Analysis.pk)))
    q = select(model).where(model.public.is_(True)).order_by(model.pk)
    if hasattr(model, "deleted"):
        q = q.where(model.deleted.is_(None))
    for column, value in parents.items():
        q = q.where(getattr(model, column) == value)
    return list(db.scalars(q))


def _public_pks(model: type[Any]) -> Select[tuple[int]]:
    """The pks of ``model``'s public rows, as :func:`is_public` reads one row."""
    q = select(model.pk).where(model.public.is_(True))
    return q.where(model.deleted.is_(None)) if hasattr(model, "deleted") else q
