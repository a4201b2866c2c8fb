"""Multipart bodies of SciTran file uploads: several files and an optional ``metadata``.

scitran/core's clients send ``file`` (or ``file1``, ``file2`` …) parts and, optionally,
a ``metadata`` part holding JSON such as
``{"acquisition": {"files": [{"name": "a.dcm", "type": "dicom", "modality": "MR",
"measurements": [...], "tags": [...], "info": {...}}]}}``.  Parsing errors are the
client's (400), never a 500 from the multipart parser.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from desktop_app.server.errors import bad_request

#: Most file parts one upload request may carry.
MAX_FILES = 100


async def upload_parts(request: Request) -> tuple[list[UploadFile], dict[str, Any]]:
    """(file parts in order, the parsed ``metadata`` object or ``{}``)."""
    try:
        form = await request.form(max_files=MAX_FILES + 1, max_fields=50)
    except Exception as exc:  # multipart parser errors are client errors
        raise bad_request(f"Malformed multipart body: {exc}") from exc
    files: list[UploadFile] = []
    meta: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "metadata":
            raw = await value.read() if isinstance(value, UploadFile) else value
            try:
                meta = json.loads(raw or "{}")
            except (ValueError, UnicodeDecodeError) as exc:
                raise bad_request("metadata must be JSON") from exc
            if not isinstance(meta, dict):
                raise bad_request("metadata must be a JSON object")
        elif isinstance(value, UploadFile):
            files.append(value)
    if not files:
        raise bad_request("No file: send it as multipart field file")
    if len(files) > MAX_FILES:
        raise bad_request(f"At most {MAX_FILES} files per upload")
    return files, meta


def file_meta(meta: dict[str, Any], noun: str, name: str) -> dict[str, Any]:
    """The metadata entry of file ``name`` under ``meta[noun]["files"]``, or ``{}``."""
    entries = (meta.get(noun) or {}).get("files") if isinstance(meta.get(noun), dict) else None
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry
    return {}
