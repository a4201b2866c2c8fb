"""A minimal streaming TIFF / BigTIFF writer for synthetic whole-slide images.

Why not tifffile: a synthetic gigapixel slide repeats the same tile bytes tens of
thousands of times, and the only way to write one in seconds is to store each distinct
encoded tile once and let many ``TileOffsets`` entries point at it.  tifffile always
writes every tile's bytes, so this module writes the (simple) TIFF structure itself:
blobs are streamed first, the IFDs (with their out-of-line values) are appended at the
end and the header is patched to point at the first one.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

# TIFF field types
ASCII = 2
SHORT = 3
LONG = 4
RATIONAL = 5
UNDEFINED = 7
LONG8 = 16

_TYPE_SIZE = {ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1, LONG8: 8}
_TYPE_DTYPE = {SHORT: "<u2", LONG: "<u4", LONG8: "<u8"}

# Tags used by the slide generator.
NEW_SUBFILE_TYPE = 254
IMAGE_WIDTH = 256
IMAGE_LENGTH = 257
BITS_PER_SAMPLE = 258
COMPRESSION = 259
PHOTOMETRIC = 262
IMAGE_DESCRIPTION = 270
STRIP_OFFSETS = 273
SAMPLES_PER_PIXEL = 277
ROWS_PER_STRIP = 278
STRIP_BYTE_COUNTS = 279
X_RESOLUTION = 282
Y_RESOLUTION = 283
PLANAR_CONFIG = 284
RESOLUTION_UNIT = 296
SOFTWARE = 305
TILE_WIDTH = 322
TILE_LENGTH = 323
TILE_OFFSETS = 324
TILE_BYTE_COUNTS = 325
YCBCR_SUBSAMPLING = 530

#: Classic TIFF offsets are 32-bit; above this the writer must use BigTIFF.
CLASSIC_LIMIT = 2**32 - 2**24


@dataclass(frozen=True, slots=True)
class Tag:
    """One IFD entry; ``values`` is bytes for ASCII/UNDEFINED, else a sequence of ints
    (RATIONAL: flattened numerator/denominator pairs) or a numpy array."""

    code: int
    type: int
    values: bytes | Sequence[int] | np.ndarray

    def payload(self) -> tuple[int, bytes]:
        """``(count, little-endian bytes)`` of the value."""
        if self.type in (ASCII, UNDEFINED):
            raw = bytes(self.values)
            if self.type == ASCII and not raw.endswith(b"\0"):
                raw += b"\0"
            return len(raw), raw
        if self.type == RATIONAL:
            arr = np.asarray(self.values, dtype="<u4")
            return arr.size // 2, arr.tobytes()
        arr = np.asarray(self.values, dtype=_TYPE_DTYPE[self.type])
        return arr.size, arr.tobytes()


def ascii_tag(code: int, text: str) -> Tag:
    return Tag(code, ASCII, text.encode("latin-1", "replace"))


class TiffWriter:
    """Append blobs, then describe images as IFDs that reference the blobs' offsets."""

    def __init__(self, path: Path, *, bigtiff: bool = False) -> None:
        self.path = path
        self.bigtiff = bigtiff
        self._fh = path.open("wb")
        self._ifds: list[list[Tag]] = []
        header = b"II+\x00" + struct.pack("<HHQ", 8, 0, 0) if bigtiff else b"II*\x00\0\0\0\0"
        self._fh.write(header)
        self._pos = len(header)

    @property
    def offset_type(self) -> int:
        """The field type for offsets/byte counts (LONG, or LONG8 in BigTIFF)."""
        return LONG8 if self.bigtiff else LONG

    @property
    def position(self) -> int:
        return self._pos

    def write_blob(self, data: bytes) -> int:
        """Write ``data`` (word-aligned) and return its file offset."""
        if self._pos & 1:
            self._fh.write(b"\0")
            self._pos += 1
        offset = self._pos
        self._fh.write(data)
        self._pos += len(data)
        if not self.bigtiff and self._pos >= CLASSIC_LIMIT:
            raise OverflowError("slide too large for classic TIFF; use bigtiff=True")
        return offset

    def add_ifd(self, tags: Sequence[Tag]) -> None:
        """Queue an image directory; directories are chained in the order added."""
        self._ifds.append(sorted(tags, key=lambda t: t.code))

    def close(self) -> None:
        """Write all IFDs, chain them and patch the header's first-IFD offset."""
        if self._fh.closed:
            return
        try:
            first = self._write_ifds()
            self._fh.seek(8 if self.bigtiff else 4)
            self._fh.write(struct.pack("<Q" if self.bigtiff else "<I", first))
        finally:
            self._fh.close()

    def _write_ifds(self) -> int:
        big = self.bigtiff
        entry_size, count_fmt, next_fmt, inline = (
            (20, "<Q", "<Q", 8) if big else (12, "<H", "<I", 4)
        )
        first = 0
        prev_next_pos: int | None = None
        for tags in self._ifds:
            if self._pos & 1:
                self._fh.write(b"\0")
                self._pos += 1
            ifd_pos = self._pos
            ifd_size = struct.calcsize(count_fmt) + entry_size * len(tags)
            ifd_size += struct.calcsize(next_fmt)
            extra_pos = ifd_pos + ifd_size
            entries = bytearray(struct.pack(count_fmt, len(tags)))
            extra = bytearray()
            for tag in tags:
                count, raw = tag.payload()
                entries += struct.pack("<HH", tag.code, tag.type)
                entries += struct.pack("<Q" if big else "<I", count)
                if len(raw) <= inline:
                    entries += raw.ljust(inline, b"\0")
                else:
                    if (extra_pos + len(extra)) & 1:
                        extra += b"\0"
                    entries += struct.pack("<Q" if big else "<I", extra_pos + len(extra))
                    extra += raw
            next_pos = ifd_pos + len(entries)
            entries += struct.pack(next_fmt, 0)
            self._fh.write(entries)
            self._fh.write(extra)
            self._pos += len(entries) + len(extra)
            if prev_next_pos is None:
                first = ifd_pos
            else:
                self._fh.seek(prev_next_pos)
                self._fh.write(struct.pack(next_fmt, ifd_pos))
                self._fh.seek(self._pos)
            prev_next_pos = next_pos
            if not big and self._pos >= 2**32:
                raise OverflowError("slide too large for classic TIFF; use bigtiff=True")
        return first

    def __enter__(self) -> TiffWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self._fh.close()
