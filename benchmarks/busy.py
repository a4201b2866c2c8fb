"""Busy-machine mode for the benchmarks: CPU-bound neighbour processes and a report
that shows every figure idle and busy side by side.

Why: a reading-room PC always runs something else (a browser, the LIS, a video call),
and a target met only on an idle machine is not met.  ``BusyLoad(n)`` starts ``n``
processes that spin at normal priority for as long as the ``with`` block lasts, so
one run measures the same code with and without them.  They are stopped on every
exit from the block (exception, Ctrl-C, SIGTERM turned into ``SystemExit``), and each
also exits by itself when its parent is gone, so a killed bench leaves nothing
spinning.

``Results`` prints each figure as it is measured (with PASS/FAIL and the load
average) and, at the end, one table: figure, then value/target/verdict per phase.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

#: The neighbour: pure-Python spinning (one core each), checking once in a while
#: that its parent (this bench) still exists.
SPIN = (
    "import os, sys\n"
    "parent = int(sys.argv[1])\n"
    "while os.getppid() == parent:\n"
    "    for _ in range(200_000):\n"
    "        pass\n"
)


@contextmanager
def busy_load(n: int) -> Iterator[list[int]]:
    """``n`` CPU-bound processes while the block runs; their pids.  They inherit this
    process's priority: run the bench at normal priority (not under ``nice``)."""
    procs: list[subprocess.Popen[bytes]] = []
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(143)

    if n > 0:
        signal.signal(signal.SIGTERM, on_term)
    try:
        for _ in range(n):
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", SPIN, str(os.getpid())], stdin=subprocess.DEVNULL
                )
            )
        if procs:
            time.sleep(0.5)  # let them reach full speed before anything is measured
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
        if n > 0:
            signal.signal(signal.SIGTERM, previous)


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


@dataclass
class Figure:
    text: str
    target: str
    ok: bool | None  # None: diagnostic, no target


@dataclass
class Results:
    """Figures per phase ("idle", "busy 1"), printed as they come and as one table."""

    phase: str = "idle"
    order: list[str] = field(default_factory=list)
    phases: dict[str, dict[str, Figure]] = field(default_factory=dict)

    def start(self, phase: str, note: str = "") -> None:
        self.phase = phase
        self.phases.setdefault(phase, {})
        print(f"\n== {phase}{note} (uptime: {uptime()}) ==", flush=True)

    def report(self, name: str, text: str, target: str, ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{name:<46} {text:<44} [{target}] {verdict:<4}  load {load_average()}", flush=True)
        if name not in self.order:
            self.order.append(name)
        self.phases.setdefault(self.phase, {})[name] = Figure(text, target, ok)

    def failed(self) -> list[tuple[str, str]]:
        return [
            (phase, name)
            for phase, figures in self.phases.items()
            for name, fig in figures.items()
            if fig.ok is False
        ]

    def table(self) -> str:
        """A Markdown table: one row per figure, one column per phase."""
        phases = list(self.phases)
        head = "| figure | " + " | ".join(phases) + " |"
        rule = "|---|" + "---|" * len(phases)
        rows = [head, rule]
        for name in self.order:
            cells = []
            for phase in phases:
                fig = self.phases[phase].get(name)
                if fig is None:
                    cells.append("-")
                    continue
                verdict = "" if fig.ok is None else (" **PASS**" if fig.ok else " **FAIL**")
                cells.append(f"{fig.text} [{fig.target}]{verdict}")
            rows.append(f"| {name.strip()} | " + " | ".join(cells) + " |")
        return "\n".join(rows)

    def summary(self) -> None:
        print(f"\n== summary (uptime: {uptime()}) ==")
        print(self.table())
        failed = self.failed()
        if failed:
            print("targets missed: " + "; ".join(f"{name.strip()} ({p})" for p, name in failed))
        else:
            print("every target met in every phase")


def uptime() -> str:
    try:
        with open("/proc/uptime") as f:
            up = float(f.read().split()[0])
    except OSError:
        up = float("nan")
    clock = time.strftime("%H:%M:%S", time.gmtime())
    cpus = os.cpu_count()
    return f"{clock} UTC, up {up / 60:.0f} min, load average {load_average()}, {cpus} CPUs"


def phases(busy: int) -> list[tuple[str, int]]:
    """The phases of a run: idle, then (with ``--busy N``) busy N."""
    return [("idle", 0)] + ([(f"busy {busy}", busy)] if busy > 0 else [])


class ThreadClock:
    """The calling thread's CPU time and time spent waiting for a core (the OS run
    queue, from ``/proc/thread-self/schedstat``; zero where that does not exist).

    Why: on a shared machine a long event-loop stall is either work on the UI thread,
    a wait for a core (other processes: not the viewer's doing), or a wait for
    something else (the GIL, a lock).  The latency figure reports which for its worst
    stalls, so a missed target says where the time went."""

    def __init__(self) -> None:
        try:
            self._fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        except OSError:
            self._fd = -1

    def read(self) -> tuple[float, float]:
        """(CPU seconds, run-queue wait seconds) of the thread that opened this clock
        (call it from that thread).  The CPU time is ``time.thread_time()``: schedstat's
        own figure is only brought up to date at a scheduler tick or switch, so a
        running thread reading it is up to a tick (4 ms) behind -- which the stall
        breakdown then counted as "other"."""
        if self._fd < 0:
            return time.thread_time(), 0.0
        fields = os.pread(self._fd, 128, 0).split()
        return time.thread_time(), int(fields[1]) / 1e9

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
