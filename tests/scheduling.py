"""How ``pytest -n N`` shares the suite between its workers (wired in tests/conftest.py).

A worker runs a whole *work unit*: a test module, split by backend (``[sqlite]`` and
``[postgres]`` tests of a module are two units).  Module- and session-scoped fixtures
(servers, review studies, migrated databases) are then built once per unit, not once
per worker as xdist's default round-robin of single tests does — that default built
each end-to-end study on both workers.  Splitting by backend keeps a worker on one
backend's session server at a time: pytest tears a parametrized session fixture down
whenever the next test wants the other parameter.

Units go out in collection order, and the end-to-end tests are collected first: they
are the longest units (minutes each), so both workers start on them and finish on
short ones together, instead of one worker running a study alone at the end.
"""

from __future__ import annotations

from typing import Any

import pytest

BACKENDS = frozenset({"sqlite", "postgres"})
#: Collected first, in this order: the longest work units (minutes each on 2 cores).
LONG_FIRST = (
    "tests/e2e/test_review_study.py",
    "tests/e2e/test_review_two_readers.py",
    "tests/e2e/test_team_flow.py",
    "tests/e2e/",
)


def work_unit(nodeid: str) -> str:
    """The unit of a test id: its module, plus the backend named in its parameters."""
    module = nodeid.split("::", 1)[0]
    name = nodeid.rsplit("::", 1)[-1]
    if name.endswith("]") and "[" in name:
        ids = set(name[name.index("[") + 1 : -1].split("-"))
        backend = sorted(ids & BACKENDS)
        if backend:
            return f"{module}[{backend[0]}]"
    return module


def long_first(items: list[pytest.Item]) -> None:
    """Move the items under ``LONG_FIRST`` to the front; the rest keep their order."""

    def rank(item: pytest.Item) -> int:
        nodeid = item.nodeid.replace("\\", "/")
        for i, prefix in enumerate(LONG_FIRST):
            if nodeid.startswith(prefix):
                return i
        return len(LONG_FIRST)

    items.sort(key=rank)  # stable: fixtures' own grouping within a rank is kept


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's scope scheduler over :func:`work_unit`, units in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False  # (by size would put many small tests first)
    return WorkUnits(config, log)
