"""Whether an image opens without the network, and how: file, tiles, streamed, none.

A downloaded or locally opened slide file opens with OpenSlide; a server image whose
tiles were downloaded for offline work has a pin record (``offline.json``, written by
``RemoteSlideSource.prefetch``) in its folder of the tile cache.  The folder name ends
in ``-a<abstract image id>`` (or ``-i<image id>``), see ``sync.slides.remote_slide_id``.
"""

from __future__ import annotations

import enum
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.slide.disk_cache import PIN_FILE

_PIN_DIR = re.compile(r"-(a|i)(\d+)$")


class OfflineState(enum.StrEnum):
    """How an image can be opened without the network."""

    FILE = "file"  # the slide file is on disk
    TILES = "tiles"  # tiles down to a magnification were downloaded
    STREAMED = "streamed"  # on the server only: opens while online (seen tiles stay)
    NONE = "none"  # neither a file nor a server copy


@dataclass(frozen=True, slots=True)
class PinnedTiles:
    """A pinned (downloaded for offline) tile set of one server image."""

    finest_level: int
    complete: bool
    tiles: int


@dataclass(frozen=True, slots=True)
class OfflineIndex:
    """The pinned tile sets of a tile directory, keyed by ("a"|"i", server id)."""

    pinned: dict[tuple[str, int], PinnedTiles]

    @classmethod
    def scan(cls, tile_dir: Path | None) -> OfflineIndex:
        """One directory listing plus one small JSON read per pinned slide."""
        found: dict[tuple[str, int], PinnedTiles] = {}
        if tile_dir is None or not tile_dir.is_dir():
            return cls(found)
        for entry in os.scandir(tile_dir):
            m = _PIN_DIR.search(entry.name)
            if m is None or not entry.is_dir():
                continue
            try:
                meta = json.loads((Path(entry.path) / PIN_FILE).read_text())
            except (OSError, ValueError):
                continue
            if isinstance(meta, dict):
                found[(m.group(1), int(m.group(2)))] = PinnedTiles(
                    int(meta.get("finest_level", 0)),
                    bool(meta.get("complete", False)),
                    int(meta.get("tiles", 0)),
                )
        return cls(found)

    def tiles_of(self, abstract_sid: int | None, instance_sid: int | None) -> PinnedTiles | None:
        if abstract_sid is not None and ("a", abstract_sid) in self.pinned:
            return self.pinned[("a", abstract_sid)]
        if instance_sid is not None:
            return self.pinned.get(("i", instance_sid))
        return None


def offline_state(
    path: str | None,
    abstract_sid: int | None,
    instance_sid: int | None,
    magnification: float | None,
    width: int,
    height: int,
    index: OfflineIndex,
) -> tuple[OfflineState, float | None]:
    if path and Path(path).is_file():
        return OfflineState.FILE, None
    pinned = index.tiles_of(abstract_sid, instance_sid)
    if pinned is not None and pinned.complete:
        mag = magnification / 2**pinned.finest_level if magnification else None
        return OfflineState.TILES, mag
    if instance_sid is not None:
        return OfflineState.STREAMED, None
    return OfflineState.NONE, None
