"""Workarounds for defects in the Qt binding itself, applied once by the composition root.

PySide6 6.12 on CPython 3.11 returns ``None`` from every void C++ call -- and ``True`` /
``False`` from every ``Signal.emit`` -- *without* taking a reference (it assumes the
immortal singletons of CPython >= 3.12).  Each call steals one reference; ``None``
starts with ~5,000, so a window crashes with "Fatal Python error: none_dealloc" (or
``bool_dealloc``) after a few seconds of painting.  Until the binding or the interpreter
changes, ``protect_none_refcount`` gives these singletons a practically infinite
reference count -- exactly what CPython 3.12 does by making them immortal.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40  # ~10^12 stolen references: centuries of painting


def protect_none_refcount() -> None:
    """Make None/True/False effectively immortal on CPython < 3.12 (idempotent)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False, Ellipsis, NotImplemented):
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))  # PyObject's first field
        if refcnt.value < _RESERVE:
            refcnt.value += _RESERVE
