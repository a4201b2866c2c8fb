"""Reject reasons: a project admin replaces them, a reader may not, every cache pulls them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.model.project import Project
from desktop_app.services.review_decisions import reason_codes
from desktop_app.sync.projects.review_reasons import put_reasons
from desktop_app.sync.transport.http import ClientError


def _project_pk(dev: Any, sid: int) -> int:
    with dev.store.read() as s:
        pk = s.scalar(select(Project.pk).where(Project.server_id == sid))
        assert pk is not None
        return int(pk)


def test_admin_edits_reasons_readers_pull_them(devices: Any, world: Any) -> None:
    project = world["project"]
    alice, bob = devices["new"]("alice-r", "alice"), devices["new"]("bob-r", "bob")
    for dev in (alice, bob):
        dev.sync([project])
    a_pk, b_pk = _project_pk(alice, project), _project_pk(bob, project)
    assert [c.code for c in reason_codes(bob.store, b_pk)][:2] == ["wrong_class", "boundary"]
    with pytest.raises(ClientError) as refused:  # a reader may not edit them
        put_reasons(bob.store, bob.client, b_pk, [("x", "y")])
    assert refused.value.status == 403
    put_reasons(alice.store, alice.client, a_pk, [("blurred", "blurred scan"), ("other", "other")])
    assert [(c.number, c.label) for c in reason_codes(alice.store, a_pk)] == [
        (1, "blurred scan"),
        (2, "other"),
    ]
    bob.sync([project])
    assert [c.code for c in reason_codes(bob.store, b_pk)] == ["blurred", "other"]
    put_reasons(alice.store, alice.client, a_pk, None)  # back to the defaults
    bob.sync([project])
    assert len(reason_codes(bob.store, b_pk)) == 6
