"""The original slide file, downloaded so the viewer can use OpenSlide offline.

Resumable because slides are gigabytes and connections drop: bytes go to
``<name>.part``; a re-run asks for the rest with an HTTP ``Range`` header (a server that
ignores it answers 200 and the file simply restarts).  The size is checked against
Content-Length / Content-Range, the file is renamed into place only when complete, and
it must open as a slide - so "the file exists" always means "the file is good".
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import requests

from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import SlideError
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import ClientError, CytomineClient, Offline

Progress = Callable[[int, int], None]
_CHUNK = 1 << 20


class DownloadCancelled(Exception):
    """The user cancelled; what was downloaded stays on disk and the next run resumes."""


def safe_name(name: str, fallback: str) -> str:
    name = re.sub(r"[\x00-\x1f/\\]", "_", Path(name).name).lstrip(".")
    return name[:200] or fallback


def download_file(
    client: CytomineClient,
    url: str,
    dest: Path,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> Path:
    """Download ``url`` to ``dest`` (verified, atomically renamed; must open as a slide)."""
    if dest.is_file():  # renamed into place only after a verified download
        try:
            open_slide(dest).close()
            return dest
        except SlideError:
            dest.unlink()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    for _attempt in range(2):  # a second pass only when the partial file is unusable
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            resp = send(client, "GET", url, headers=headers, stream=True)
        except ClientError as exc:
            if exc.status == 416 and offset:
                part.unlink()
                continue
            raise
        with resp:
            total, offset = _range_start(resp, offset)
            _stream_to(resp, part, offset, total, progress, cancel, url)
        size = part.stat().st_size
        if total is not None and size > total:
            part.unlink()
            continue
        if total is not None and size < total:  # kept: the next run resumes from here
            raise Offline(f"GET {url}: the download stopped early", maybe_applied=True)
        os.replace(part, dest)
        try:
            open_slide(dest).close()
        except SlideError as exc:
            dest.unlink(missing_ok=True)
            raise SlideError(f"the downloaded {dest.name} does not open: {exc}") from None
        return dest
    raise SlideError(f"GET {url}: the server's file does not match the partial download")


def _range_start(resp: requests.Response, offset: int) -> tuple[int | None, int]:
    """``(total size, write offset)``: continue at ``offset`` on a matching 206, else
    start again (a server without Range support answers 200 with the whole file)."""
    if resp.status_code == 206:
        m = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", resp.headers.get("content-range", ""))
        if m and int(m.group(1)) == offset:
            return (int(m.group(3)) if m.group(3) != "*" else None), offset
        raise SlideError("the server answered a different byte range than asked")
    length = resp.headers.get("content-length")
    return (int(length) if length and length.isdigit() else None), 0


def _stream_to(
    resp: requests.Response,
    part: Path,
    offset: int,
    total: int | None,
    progress: Progress | None,
    cancel: threading.Event | None,
    url: str,
) -> None:
    done = offset
    with open(part, "ab" if offset else "wb") as out:
        try:
            for chunk in resp.iter_content(_CHUNK):
                if cancel is not None and cancel.is_set():
                    raise DownloadCancelled(f"download cancelled at {done} bytes")
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total or 0)
        except requests.RequestException as exc:
            raise Offline(f"GET {url}: {type(exc).__name__}", maybe_applied=True) from None
