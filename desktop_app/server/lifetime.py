"""A process that dies with the one that started it (Linux ``PR_SET_PDEATHSIG``).

A uvicorn worker of ``workstation server --workers N`` asks for SIGTERM when its
supervisor goes away, however that happens (a ``kill -9`` included): otherwise the
workers keep the port, the slide files and their database connections, serving on
with nobody to restart or stop them.  Elsewhere than on Linux this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

#: From <linux/prctl.h>.
PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM, parent_pid: int | None = None) -> None:
    """Receive ``sig`` when the parent (the thread that forked this process) exits.

    ``parent_pid``: the parent expected; when it is already gone by the time this runs
    (it died between the fork and this call), the signal is sent at once.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), sig)
