"""Who is calling: the Cytomine HMAC header checked against ``sec_user`` keys.

A FastAPI dependency rather than a middleware so it shares the request's session and
runs once per request (FastAPI caches dependencies).  A failed check is a 401 JSON body
that never echoes the header; signatures and keys are never logged.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.security import Authority, User, UserJob
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError
from desktop_app.server.hmac_auth import parse_authorization, verify

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Caller:
    """The authenticated user and what their global role allows.

    ``rights_pk`` is whose project rights apply: the user's own, or for a job identity
    (Cytomine UserJob) the human who launched the job.
    """

    user: User
    authorities: frozenset[str]
    rights_pk: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def pk(self) -> int:
        return self.user.pk

    @property
    def is_superadmin(self) -> bool:
        return Authority.ROLE_SUPER_ADMIN.value in self.authorities

    @property
    def is_admin(self) -> bool:
        """Admins and superadmins see and may change everything (Cytomine ``adminByNow``)."""
        return self.is_superadmin or Authority.ROLE_ADMIN.value in self.authorities

    @property
    def is_guest(self) -> bool:
        """A guest (and nobody more powerful) only ever reads."""
        return (
            not (self.is_admin or Authority.ROLE_USER.value in self.authorities)
            and Authority.ROLE_GUEST.value in self.authorities
        )


def _unauthorized(message: str = "Full authentication is required") -> ApiError:
    return ApiError(401, message)


def _check_date(request: Request, date: str) -> None:
    max_skew = request.app.state.settings.max_date_skew_s
    if max_skew is None:
        return
    try:
        when = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError) as exc:
        raise _unauthorized("Unreadable date header") from exc
    if abs(time.time() - when) > max_skew:
        raise _unauthorized("Date header too far from server time")


def load_caller(db: Session, user: User) -> Caller:
    authorities = frozenset(str(r.authority.value) for r in user.roles)
    rights_pk = user.pk
    if user.algo:
        uj = db.get(UserJob, user.pk)
        if uj is not None and uj.parent_user_pk is not None:
            rights_pk = uj.parent_user_pk
            parent = db.get(User, uj.parent_user_pk)
            if parent is not None:
                authorities = frozenset(str(r.authority.value) for r in parent.roles)
    return Caller(user=user, authorities=authorities, rights_pk=rights_pk)


def current_caller(request: Request, db: Session = Depends(get_db)) -> Caller:
    """Authenticate the request from its ``Authorization: CYTOMINE pub:sig`` header."""
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    parsed = parse_authorization(header)
    if parsed is None:
        raise _unauthorized()
    public_key, signature = parsed
    date = request.headers.get("date")
    if not date:
        raise _unauthorized("Missing date header")
    _check_date(request, date)
    user = db.scalars(
        select(User).where(User.public_key == public_key, User.enabled.is_(True))
    ).first()
    if user is None or not user.private_key:
        raise _unauthorized("Unknown or disabled key")
    path = request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    path_and_query = f"{path}?{query}" if query else path
    ok = verify(
        user.private_key,
        signature,
        request.method,
        request.headers.get("content-md5", ""),
        request.headers.get("content-type", ""),
        date,
        path_and_query,
    )
    if not ok:
        log.info("bad signature for user %s on %s %s", user.pk, request.method, path)
        raise _unauthorized("Bad signature")
    caller = load_caller(db, user)
    request.state.caller = caller
    return caller
