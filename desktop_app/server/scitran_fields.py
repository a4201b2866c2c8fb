"""Which fields a SciTran write may carry (SciTran's input schemas), and the 400 for others.

Why a list of our own: SciTran validates every body against JSON schemas with
``additionalProperties: false`` and answers 400 for a field it does not know; we do the
same with the field lists of scitran/core's ``swagger/schemas/input`` (commit a4203cf6),
plus our extensions.  An allowed field our model does not keep is accepted and named in
the answer's ``"ignored"`` (``crud.ReadTracker``), never dropped silently.
"""

from __future__ import annotations

from typing import Any

from desktop_app.model.scitran import ContainerType
from desktop_app.server.errors import bad_request

Json = dict[str, Any]

#: The fields SciTran's input schemas allow per container (``swagger/schemas/input``,
#: ``additionalProperties: false``), plus ours (``tags``, ``archived``, the analysis
#: fields of our model, the sync ``baseUpdated``).  Anything else is a 400, as SciTran
#: answers; an allowed field our model does not store is named in ``"ignored"``.
_OURS = frozenset({"tags", "archived", "baseUpdated"})
FIELDS: dict[ContainerType, frozenset[str]] = {
    ContainerType.PROJECT: frozenset({"label", "group", "description", "info", "public"}),
    ContainerType.SESSION: frozenset(
        {"label", "project", "info", "operator", "public", "subject", "timestamp"}
        | {"timezone", "uid"}
    ),
    ContainerType.ACQUISITION: frozenset(
        {"label", "session", "info", "public", "timestamp", "timezone", "uid"}
    ),
    ContainerType.COLLECTION: frozenset({"label", "description", "info", "public", "contents"}),
    ContainerType.ANALYSIS: frozenset(
        {"label", "parent", "description", "version", "job", "info", "public", "inputs"} | {"files"}
    ),
}


def refuse_unknown(body: Json, allowed: frozenset[str]) -> None:
    """400 for fields outside ``allowed`` (jsonschema's wording, as SciTran answers)."""
    extra = sorted(k for k in body if k not in allowed and k not in _OURS)
    if extra:
        listed = ", ".join(repr(k) for k in extra[:20])
        verb = "was" if len(extra) == 1 else "were"
        raise bad_request(f"Additional properties are not allowed ({listed} {verb} unexpected)")
