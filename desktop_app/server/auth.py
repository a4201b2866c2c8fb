"""Who is calling: the Cytomine HMAC header checked against ``sec_user`` keys.

A FastAPI dependency rather than a middleware so it shares the request's session and
runs once per request (FastAPI caches dependencies).  A failed check is a 401 JSON body
that never echoes the header; signatures and keys are never logged.

Identity cache: what a public key stands for (user pk, private key, authorities, whose
rights apply) is kept by the app (``ServerState.identities``) for ``ACCESS_TTL_S``
(5 s), so a signed request costs one HMAC and no database statement.  Consequences,
by design:

* a user disabled, deleted, re-keyed or given other roles through this server is seen
  at once by every worker of this host and within 0.25 s by the processes of other
  hosts on the same database (``access_cache``); a manual SQL edit within
  ``ACCESS_TTL_S``;
* only successful lookups are cached: an unknown or disabled key always reaches the
  database, and a new key works at once;
* the signature itself is checked on every request.

``Caller.user`` (the ORM row) is loaded lazily from the request's session by the few
routes that need more than the pk, roles and rights.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from desktop_app.model.security import Authority, User, UserJob
from desktop_app.server import scitran_key
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError
from desktop_app.server.hmac_auth import parse_authorization, verify
from desktop_app.server.secret import secret_of
from desktop_app.server.state import ServerState, state_of

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Caller:
    """The authenticated user and what their global role allows.

    ``rights_pk`` is whose project rights apply: the user's own, or for a job identity
    (Cytomine UserJob) the human who launched the job.  ``user`` is the ORM row, loaded
    on first use from the request's session.
    """

    pk: int
    authorities: frozenset[str]
    rights_pk: int
    db: Session | None = None
    #: A job identity (its annotations are AlgoAnnotations); known without loading ``user``.
    algo: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    _user: User | None = None

    @property
    def user(self) -> User:
        if self._user is None:
            if self.db is None:
                raise RuntimeError("Caller has no session to load its user from")
            user = self.db.get(User, self.pk)
            if user is None:
                raise _unauthorized("Unknown or disabled key")
            self._user = user
        return self._user

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


def load_caller(db: Session, user: User) -> Caller | None:
    """The caller ``user`` stands for; ``None`` for a job whose launcher may not act.

    A job identity acts with its launcher's rights and nothing else: when the launcher
    is disabled or gone (or the job has no launcher), the job's keys are refused too.
    """
    authorities = frozenset(str(r.authority.value) for r in user.roles)
    rights_pk = user.pk
    if user.algo:
        uj = db.get(UserJob, user.pk)
        parent = db.get(User, uj.parent_user_pk) if uj and uj.parent_user_pk else None
        if parent is None or not parent.enabled or parent.algo:
            return None
        rights_pk = parent.pk
        authorities = frozenset(str(r.authority.value) for r in parent.roles)
    return Caller(
        pk=user.pk,
        authorities=authorities,
        rights_pk=rights_pk,
        db=db,
        algo=bool(user.algo),
        _user=user,
    )


@dataclass(frozen=True, slots=True)
class _Identity:
    pk: int
    private_key: str
    authorities: frozenset[str]
    rights_pk: int
    algo: bool
    loaded: float


def _lookup(db: Session, public_key: str, fresh: bool = False) -> _Identity | None:
    """The identity of ``public_key``: cached for ``ACCESS_TTL_S``, else from the database."""
    identities = state_of(db).identities
    hit = None if fresh else identities.get(public_key)
    if hit is not None:
        return hit
    epoch = identities.epoch
    user = db.scalars(
        select(User).where(User.public_key == public_key, User.enabled.is_(True))
    ).first()
    if user is None or not user.private_key:
        identities.pop(public_key)
        return None
    c = load_caller(db, user)
    if c is None:
        identities.pop(public_key)
        return None
    private_key = secret_of(db).open(user.private_key) or ""
    ident = _Identity(c.pk, private_key, c.authorities, c.rights_pk, c.algo, time.monotonic())
    identities.put(public_key, ident, epoch)
    return ident


async def _scitran_key_caller(request: Request, db: Session, api_key: str) -> Caller:
    """The caller of a SciTran ``scitran-user <key>`` header (module ``scitran_key``)."""
    if request.app.state.settings.require_path_signature:
        raise _unauthorized("This server requires path-signed CYTOMINE requests")
    if not scitran_key.applies_to(request.url.path):
        raise _unauthorized("The scitran-user key is accepted only on SciTran routes")
    user = await run_in_threadpool(scitran_key.user_of_key, db, api_key)
    caller = None if user is None else load_caller(db, user)
    if caller is None:
        raise _unauthorized("Unknown or disabled key")
    request.state.caller = caller
    return caller


async def current_caller(request: Request, db: Session = Depends(get_db)) -> Caller:
    """Authenticate the request from its ``Authorization: CYTOMINE pub:sig`` header.

    ``async`` so that a cached identity costs no thread-pool hop (the common case: an
    HMAC and a ``stat``); a database lookup, and the generation read due every
    ``access_cache.POLL_S``, run in the thread pool.
    """
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    header = request.headers.get("authorization", "")
    parsed = parse_authorization(header)
    if parsed is None:
        api_key = scitran_key.parse_header(header)
        if api_key is not None:
            return await _scitran_key_caller(request, db, api_key)
        if not header and scitran_key.applies_to(request.url.path):
            raise scitran_key.anonymous_error(request.url.path)
        raise _unauthorized()
    public_key, signature = parsed
    date = request.headers.get("date")
    if not date:
        raise _unauthorized("Missing date header")
    _check_date(request, date)
    state: ServerState = request.app.state.server
    watch = request.app.state.access_watch
    watch.check_marker()
    if watch.poll_due():  # another host's change: within ``access_cache.POLL_S``
        await run_in_threadpool(watch.poll)
    ident = state.identities.get(public_key)
    if ident is None:
        ident = await run_in_threadpool(_lookup, db, public_key)
    if ident is None:
        raise _unauthorized("Unknown or disabled key")
    path = request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    path_and_query = f"{path}?{query}" if query else path
    parts = (
        signature,
        request.method,
        request.headers.get("content-md5", ""),
        request.headers.get("content-type", ""),
        date,
        path_and_query,
    )
    path_only = request.app.state.settings.require_path_signature
    ok = verify(ident.private_key, *parts, require_path=path_only)
    if not ok and ident.loaded < time.monotonic() - 0.001:
        # A cached identity may hold a key changed since: ask the database once.
        ident = await run_in_threadpool(_lookup, db, public_key, True)
        if ident is None:
            raise _unauthorized("Unknown or disabled key")
        ok = verify(ident.private_key, *parts, require_path=path_only)
    if not ok:
        log.info("bad signature for user %s on %s %s", ident.pk, request.method, path)
        raise _unauthorized("Bad signature")
    caller = Caller(
        pk=ident.pk,
        authorities=ident.authorities,
        rights_pk=ident.rights_pk,
        db=db,
        algo=ident.algo,
    )
    request.state.caller = caller
    return caller
