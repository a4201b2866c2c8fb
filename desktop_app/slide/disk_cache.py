"""Encoded tiles on disk: the offline memory of remote slides.

Why one file per tile (not one SQLite/zip per slide): a tile write is then a single
atomic ``rename``, readers never lock each other, a crash can at worst leave a stray
``*.tmp`` file (swept at the next scan), and a damaged tile costs one refetch instead
of a whole container.  Layout::

    <root>/<slide_id>/<z>/<tx>_<ty>.jpg      (z = Cytomine normalized zoom, 0 = smallest)
    <root>/<slide_id>/offline.json           (present = pinned: downloaded for offline)

The streaming part is bounded in bytes and evicted least recently used.  Recency is
the file's mtime (bumped on every hit), because atime is unreliable (``noatime``/
``relatime`` mounts) and mtime survives restarts without a separate index.  Slides
that the user explicitly downloaded for offline work are *pinned*: their tiles are not
counted in the budget and never evicted behind the user's back.

No fsync per tile: losing the last tiles in an OS crash only costs a refetch, and a
file truncated by a crash is detected (JPEG start/end markers, then decoding) and
refetched, never shown.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any

DEFAULT_DISK_BYTES = 2 * 1024**3
PIN_FILE = "offline.json"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_STALE_TMP_S = 300.0


def looks_like_jpeg(data: bytes) -> bool:
    """Cheap completeness check: SOI at the start and EOI at the end (a truncated file
    loses its EOI marker)."""
    return len(data) > 4 and data[:2] == b"\xff\xd8" and data.rstrip(b"\x00")[-2:] == b"\xff\xd9"


def check_slide_id(slide_id: str) -> str:
    """``slide_id`` if it is a safe single path component, else ``ValueError``."""
    if not _SAFE_ID.match(slide_id) or slide_id in (".", ".."):
        raise ValueError(f"slide id {slide_id!r} cannot be used as a cache folder name")
    return slide_id


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a unique temporary file beside ``path`` and rename it in place,
    so concurrent readers see either no file or the complete file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class DiskTileCache:
    """Tiles of many slides under one root, thread-safe.

    The byte budget and the recency index are this object's: every writer of a root
    (the viewer's sources, a review prefetch, a tile download) must be given the same
    object, made once by its owner (the app, or one command), or each evicts by its own
    count.  There is no process-wide instance: two owners share nothing.
    """

    def __init__(self, root: Path, max_bytes: int = DEFAULT_DISK_BYTES) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._index: OrderedDict[Path, int] = OrderedDict()  # unpinned tiles, oldest first
        self._bytes = 0
        self._scanned = False
        self._pinned: set[str] = set()

    # --- paths -----------------------------------------------------------------------
    def slide_dir(self, slide_id: str) -> Path:
        return self.root / check_slide_id(slide_id)

    def tile_path(self, slide_id: str, z: int, tx: int, ty: int) -> Path:
        return self.slide_dir(slide_id) / str(int(z)) / f"{int(tx)}_{int(ty)}.jpg"

    # --- reads and writes ------------------------------------------------------------
    def get(self, slide_id: str, z: int, tx: int, ty: int) -> bytes | None:
        """The cached bytes of a tile, or ``None``; an incomplete file is deleted."""
        path = self.tile_path(slide_id, z, tx, ty)
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            return None
        if not looks_like_jpeg(data):
            self.discard(slide_id, z, tx, ty)
            return None
        self._touch(path)
        return data

    def has(self, slide_id: str, z: int, tx: int, ty: int) -> bool:
        """Whether a complete-looking tile is on disk (used to resume a download)."""
        return self.get(slide_id, z, tx, ty) is not None

    def put(self, slide_id: str, z: int, tx: int, ty: int, data: bytes) -> None:
        """Store a tile atomically, then evict the oldest unpinned tiles beyond budget."""
        path = self.tile_path(slide_id, z, tx, ty)
        atomic_write(path, data)
        self._ensure_scanned()
        with self._lock:
            if slide_id in self._pinned or self._pin_path(slide_id).exists():
                self._pinned.add(slide_id)
                return
            old = self._index.pop(path, None)
            self._bytes += len(data) - (old or 0)
            self._index[path] = len(data)
            self._evict_locked()

    def discard(self, slide_id: str, z: int, tx: int, ty: int) -> None:
        """Delete one tile (e.g. it failed to decode)."""
        path = self.tile_path(slide_id, z, tx, ty)
        with self._lock:
            size = self._index.pop(path, None)
            if size is not None:
                self._bytes -= size
        path.unlink(missing_ok=True)

    @property
    def bytes_used(self) -> int:
        """Bytes of evictable (unpinned) tiles."""
        self._ensure_scanned()
        with self._lock:
            return self._bytes

    def set_max_bytes(self, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        with self._lock:
            self.max_bytes = max_bytes
            if self._scanned:
                self._evict_locked()

    # --- pinning (downloaded for offline) --------------------------------------------
    def _pin_path(self, slide_id: str) -> Path:
        return self.slide_dir(slide_id) / PIN_FILE

    def pin(self, slide_id: str, meta: dict[str, Any]) -> None:
        """Exempt a slide's tiles from eviction and record what was downloaded."""
        atomic_write(self._pin_path(slide_id), json.dumps(meta, sort_keys=True).encode())
        prefix = self.slide_dir(slide_id)
        with self._lock:
            self._pinned.add(slide_id)
            for path in [p for p in self._index if p.parent.parent == prefix]:
                self._bytes -= self._index.pop(path)

    def pin_info(self, slide_id: str) -> dict[str, Any] | None:
        """The metadata given to :meth:`pin`, or ``None`` if the slide is not pinned."""
        try:
            value = json.loads(self._pin_path(slide_id).read_text())
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def unpin(self, slide_id: str) -> None:
        """Return a slide's tiles to the evictable budget."""
        self._pin_path(slide_id).unlink(missing_ok=True)
        with self._lock:
            self._pinned.discard(slide_id)
            if self._scanned:
                self._add_locked(self._scan_slide_locked(self.slide_dir(slide_id)))
                self._evict_locked()

    # --- bookkeeping -----------------------------------------------------------------
    def _touch(self, path: Path) -> None:
        try:
            os.utime(path)
        except OSError:
            return
        with self._lock:
            if path in self._index:
                self._index.move_to_end(path)

    def _ensure_scanned(self) -> None:
        with self._lock:
            if self._scanned:
                return
            found: list[tuple[float, Path, int]] = []
            if self.root.is_dir():
                for slide in self.root.iterdir():
                    if not slide.is_dir():
                        continue
                    if (slide / PIN_FILE).exists():
                        self._pinned.add(slide.name)
                        continue
                    found.extend(self._scan_slide_locked(slide))
            self._add_locked(found)
            self._scanned = True
            self._evict_locked()

    def _add_locked(self, found: list[tuple[float, Path, int]]) -> None:
        """Index tiles found on disk, oldest first (mtime order = recency order)."""
        for _, path, size in sorted(found, key=lambda t: t[0]):
            if path not in self._index:
                self._index[path] = size
                self._bytes += size

    @staticmethod
    def _scan_slide_locked(slide: Path) -> list[tuple[float, Path, int]]:
        """``(mtime, path, size)`` of a slide's tiles; sweeps stale temp files."""
        found: list[tuple[float, Path, int]] = []
        now = time.time()
        try:
            zooms = [z for z in slide.iterdir() if z.is_dir()]
        except OSError:
            return found
        for zdir in zooms:
            try:
                entries = list(os.scandir(zdir))
            except OSError:
                continue
            for entry in entries:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                if entry.name.endswith(".tmp"):
                    if now - st.st_mtime > _STALE_TMP_S:
                        Path(entry.path).unlink(missing_ok=True)
                    continue
                found.append((st.st_mtime, Path(entry.path), st.st_size))
        return found

    def _evict_locked(self) -> None:
        while self._bytes > self.max_bytes and self._index:
            path, size = self._index.popitem(last=False)
            self._bytes -= size
            path.unlink(missing_ok=True)
