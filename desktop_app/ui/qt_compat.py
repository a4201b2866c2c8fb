"""Workarounds for defects in the Qt binding itself, applied once by the composition root.

PySide6 6.12 on CPython 3.11 returns ``None`` from every void C++ call *without* taking
a reference (it assumes the immortal ``None`` of CPython >= 3.12).  Each call therefore
steals one reference; ``None`` starts with ~5,000, so a window crashes with "Fatal
Python error: none_dealloc" after a few seconds of painting.  Until the binding or the
interpreter changes, ``protect_none_refcount`` gives ``None`` a practically infinite
reference count -- exactly what CPython 3.12 does by making it immortal.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40  # ~10^12 stolen references: centuries of painting


def protect_none_refcount() -> None:
    """Make ``None`` effectively immortal on CPython < 3.12 (idempotent, no-op after)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    refcnt = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    if refcnt.value < _RESERVE:
        refcnt.value += _RESERVE
