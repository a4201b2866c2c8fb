"""SciTran project templates: does a session satisfy its project's template?

As scitran/core's ``hierarchy.is_session_compliant``: a template is
``{"session": {field: requirement}, "acquisitions": [{"minimum": n, field: requirement,
"files": [{"minimum": n, field: requirement}]}]}``; a requirement is a regular
expression (case-insensitive ``re.search``) on a string field, on any element of a list
field (tags), or a nested object of requirements (``subject.code``).  A missing or empty
field never satisfies.  File ``mimetype`` comes from the file name, as SciTran guesses it.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.scitran import Acquisition, ContainerFile, ContainerType
from desktop_app.model.scitran import Session as ScSession
from desktop_app.protocol.scitran.edits import TemplateBody
from desktop_app.server.errors import bad_request
from desktop_app.server.wire import parse_value

Json = dict[str, Any]
MAX_PATTERN = 1000


def check_template(raw: Any) -> Json:
    """A template body as stored, or 400: its shape is ``TemplateBody``'s (SciTran's
    project-template schema, in short), and each pattern must compile."""
    parse_value(TemplateBody, raw)
    _check_patterns(raw)
    return dict(raw)


def _check_patterns(value: Any) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _check_patterns(v)
    elif isinstance(value, list):
        for v in value:
            _check_patterns(v)
    elif isinstance(value, str):
        if len(value) > MAX_PATTERN:
            raise bad_request(f"template patterns are at most {MAX_PATTERN} characters")
        try:
            re.compile(value)
        except re.error as exc:
            raise bad_request(f"template pattern {value[:40]!r} is not a regex: {exc}") from exc


def _req(cont: Json, key: str, want: Any) -> bool:
    have = cont.get(key)
    if not have:
        return False
    if isinstance(want, dict):
        return isinstance(have, dict) and all(_req(have, k, v) for k, v in want.items())
    if isinstance(have, list):
        return any(isinstance(h, str) and re.search(str(want), h, re.I) for h in have)
    return bool(re.search(str(want), str(have), re.I))


def _cont(cont: Json, reqs: Json) -> bool:
    for key, want in reqs.items():
        if key == "files":
            for fr in want:
                rest = {k: v for k, v in fr.items() if k != "minimum"}
                hits = sum(1 for f in cont.get("files", []) if _cont(f, rest))
                if hits < fr["minimum"]:
                    return False
        elif key != "minimum" and not _req(cont, key, want):
            return False
    return True


def _file_doc(f: ContainerFile) -> Json:
    return {
        "name": f.name,
        "type": f.type,
        "mimetype": mimetypes.guess_type(f.name)[0] or "application/octet-stream",
        "modality": f.modality,
        "measurements": list(f.measurements or []),
        "tags": list(f.tags or []),
    }


def _files(db: Session, ctype: ContainerType, pk: int) -> list[Json]:
    rows = db.scalars(
        select(ContainerFile).where(
            ContainerFile.container_type == ctype, ContainerFile.container_pk == pk
        )
    )
    return [_file_doc(f) for f in rows]


def satisfies(db: Session, s: ScSession, template: Json) -> bool:
    subject = s.subject
    doc: Json = {
        "label": s.label,
        "tags": list(s.tags or []),
        "uid": s.data_uid,
        "timezone": s.timezone,
        "subject": {"code": subject.code} if subject is not None and subject.code else None,
        "files": _files(db, ContainerType.SESSION, s.pk),
    }
    if template.get("session") and not _cont(doc, template["session"]):
        return False
    acq_reqs = template.get("acquisitions") or []
    if not acq_reqs:
        return True
    acqs = [
        {
            "label": a.label,
            "tags": list(a.tags or []),
            "uid": a.data_uid,
            "files": _files(db, ContainerType.ACQUISITION, a.pk),
        }
        for a in db.scalars(select(Acquisition).where(Acquisition.session_pk == s.pk))
    ]
    for req in acq_reqs:
        rest = {k: v for k, v in req.items() if k != "minimum"}
        if sum(1 for a in acqs if _cont(a, rest)) < req["minimum"]:
            return False
    return True
