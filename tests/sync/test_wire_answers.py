"""The sync client parses the server's answers (our extensions' and Cytomine's objects)
through ``desktop_app.protocol``: a field the server renamed is a clear "malformed
answer" naming it, nothing half-applied, and the next sync against the real shapes
converges.  The renaming is done on the wire by the
proxy between the real client and the real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.sync.helpers import assert_converged, draw, outbox, square


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"hasMore"', b'"hasMorf"'),  # the feed and bulk pages
        (b'"results"', b'"resultz"'),  # the push answer
        (b'"deletedTerms"', b'"deletedTermz"'),  # a bulk page's side list
        (b'"baseImage"', b'"baseImagf"'),  # a Cytomine image instance (checkout)
        (b'"username"', b'"usernamf"'),  # the current user, project members
    ],
)
def test_a_renamed_answer_field_is_a_malformed_answer(
    server: Any,
    world: dict[str, Any],
    devices: Any,
    proxy: Any,
    tmp_path: Path,
    old: bytes,
    new: bytes,
) -> None:
    p, img, (t1, _, _) = world["project"], world["image"], world["terms"]
    a = devices["new"]("a", "alice", base=proxy.base)
    assert a.sync([p]).ok
    draw(a, img, square(100, 100), [t1])
    server.client("bob").post(
        "/api/annotation.json",
        {"image": img, "location": "POLYGON ((10 10, 90 10, 90 90, 10 90, 10 10))"},
    )
    proxy.rename = (old, new)
    rep = a.sync([p])
    assert not rep.ok and rep.error_kind == "malformed", rep.reason()
    assert old.strip(b'"').decode() in (rep.error or ""), rep.error
    proxy.heal()
    rep = a.sync([p])
    assert rep.ok, rep.reason()
    assert not outbox(a.store)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert_converged(server, [a], p, fresh)
