"""Pull of the SciTran hierarchy: every container the user may read, into the cache.

groups → projects → sessions (with their subject) → acquisitions, plus analyses,
collections (with their acquisitions), and each container's notes and files.  Like
the project checkout (``checkout.py``) everything is fetched first, then applied in
one transaction (:mod:`desktop_app.sync.pull.scitran_apply`), so a dropped connection never
leaves half a tree.  Rows are matched on ``server_id`` (SciTran ``_id``; a group on its
``code``), which is the same identity rule as every other pulled row.

Lists omit the † fields (``info`` but its reserved keys, the tags of sessions and
acquisitions, the subject's names, hashes and demographics), so each container is read
from its detail, never from its list item.  A server without SciTran routes (a stock
Cytomine) answers 404 on ``/api/groups``; the pull then does nothing.  Every answer
is parsed through its schema (``protocol/scitran/answers_containers.py``), so a field
renamed or mistyped on the server is a malformed answer naming it, before anything is
applied.
"""

from __future__ import annotations

import threading
from typing import Any, cast

from desktop_app.protocol.cytomine.answers_project import USERS
from desktop_app.protocol.scitran.answers_containers import DETAILS, GROUPS, LISTED_IDS
from desktop_app.store.uow import Store
from desktop_app.sync.pull.scitran_apply import TreeBundle, apply_tree
from desktop_app.sync.transport.http import ClientError, CytomineClient, parse_as

Json = dict[str, Any]
#: (URL segment, key in the bundle), parents before children.
KINDS = (
    ("projects", "projects"),
    ("sessions", "sessions"),
    ("acquisitions", "acquisitions"),
    ("analyses", "analyses"),
    ("collections", "collections"),
)


def fetch_tree(client: CytomineClient, cancel: threading.Event | None = None) -> TreeBundle | None:
    """The whole readable hierarchy, or ``None`` when the server has no SciTran API."""
    try:
        answer = client.get("/api/groups")
        groups = cast(list[Json], parse_as(GROUPS, answer, "GET /api/groups"))
    except ClientError as exc:
        if exc.status == 404:
            return None
        raise
    if client.user_id is None or client.username is None:
        client.current_user()
    bundle = TreeBundle(me=client.user_id, me_login=client.username, groups=groups)
    for segment, key in KINDS:
        details = []
        listed = parse_as(LISTED_IDS, client.get(f"/api/{segment}"), f"GET /api/{segment}")
        for item in listed:  # a list item is partial (info, tags): read its detail
            if cancel is not None and cancel.is_set():
                return None
            path = f"/api/{segment}/{item['_id']}"
            details.append(parse_as(DETAILS[segment], client.get(path), f"GET {path}"))
        setattr(bundle, key, details)
    try:
        for u in client.collection_as(USERS, "/api/user.json", "user list"):
            bundle.users[u["username"]] = u["id"]
    except ClientError:
        pass  # the user list is a nicety (note authors); cached users are found by name
    return bundle


def pull_tree(store: Store, client: CytomineClient, cancel: threading.Event | None = None) -> int:
    """Fetch and apply the hierarchy; returns the number of containers now cached."""
    bundle = fetch_tree(client, cancel)
    if bundle is None:
        return 0
    return apply_tree(store, bundle)
