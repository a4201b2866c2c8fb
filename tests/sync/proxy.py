"""A fault-injecting TCP proxy on 127.0.0.1, between the sync client and the server.

Per forwarded chunk it can: drop the connection before a request chunk reaches the
server (``p_drop``: the request is never applied), cut the connection when the
server's answer starts to come back (``p_cut``: the server HAS applied the request,
the client never learns it — the ambiguous case), and delay (``delay`` seconds).
``rename`` rewrites bytes of the answers.  ``heal()`` turns every fault off.
Threads, no asyncio: it must run beside pytest.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
from collections.abc import Callable


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, seed: int = 0) -> None:
        self.target = (target_host, target_port)
        self.p_drop = 0.0
        self.p_cut = 0.0
        self.delay = 0.0
        #: Targeted faults: drop / cut the answer of requests containing these bytes.
        self.drop_on: bytes | None = None
        self.cut_on: bytes | None = None
        #: Once a forwarded request chunk contains these bytes, call this (in a thread):
        #: e.g. kill the server while it works on that very request.
        self.after_send: tuple[bytes, Callable[[], None]] | None = None
        #: Rewrite these bytes in the server's answers (same length: Content-Length holds),
        #: e.g. rename a JSON field the client expects.
        self.rename: tuple[bytes, bytes] | None = None
        self.dropped = 0
        self.cut = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = int(self._sock.getsockname()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []

    def set_faults(self, *, p_drop: float = 0.0, p_cut: float = 0.0, delay: float = 0.0) -> None:
        self.p_drop, self.p_cut, self.delay = p_drop, p_cut, delay
        self.drop_on = self.cut_on = None
        self.rename = None

    def heal(self) -> None:
        self.set_faults()

    def start(self) -> None:
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        _close(self._sock)  # shutdown wakes the blocked accept() on Linux
        for c in list(self._conns):
            _close(c)

    def _roll(self, p: float) -> bool:
        with self._lock:
            return p > 0 and self._rng.random() < p

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            self._conns += [client, upstream]
            flag: list[bool] = [False]
            for args in ((client, upstream, True, flag), (upstream, client, False, flag)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, upward: bool, flag: list[bool]) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if upward and (
                    self._roll(self.p_drop) or (self.drop_on is not None and self.drop_on in data)
                ):
                    self.dropped += 1
                    break
                if upward and self.cut_on is not None and self.cut_on in data:
                    flag[0] = True
                if not upward and (self._roll(self.p_cut) or flag[0]):
                    self.cut += 1
                    break
                if self.delay:
                    self._stop.wait(self.delay)
                rename = self.rename
                if not upward and rename is not None:
                    data = data.replace(*rename)
                dst.sendall(data)
                hook = self.after_send
                if upward and hook is not None and hook[0] in data:
                    self.after_send = None
                    threading.Thread(target=hook[1], daemon=True).start()
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()
