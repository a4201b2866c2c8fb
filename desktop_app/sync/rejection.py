"""How a review rejection is represented on a Cytomine server (docs/api.md "Review decisions").

Cytomine keeps no row for a rejection, so it is the property ``sync:review.rejected`` =
``{"reviewUser", "terms"}`` (JSON) on the parent annotation.  The push writes it
(``push.plan.review``, ``push.send.rest``) and the pull reads another reviewer's
(``pull.review``); both name it from here.
"""

from __future__ import annotations

from typing import Any

from desktop_app.model.annotation import Annotation
from desktop_app.sync.local import loads

REJECTED_KEY = "sync:review.rejected"


def rejected_as(ann: Annotation) -> dict[str, Any] | None:
    """The server property a pushed rejection became (None: not pushed as a rejection)."""
    obj = loads(ann.base_json).get("rejectedAs") if ann.base_json else None
    return obj if isinstance(obj, dict) and "id" in obj else None
