"""One class per body for both sides of the wire: the sync client builds a review
decision through ``DecisionRequest`` and the server parses it through the same class, so
a field renamed on one side fails on the other; Cytomine bodies (sent back whole by
Cytomine's clients) name what they do not read, for the server's ``ignored`` answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.protocol.cytomine.base import unknown_fields
from desktop_app.protocol.cytomine.ontology import TermBody
from desktop_app.protocol.review import MAX_COMMENT, DecisionRequest
from desktop_app.server.errors import error_message
from desktop_app.store.edits import create_annotation
from desktop_app.sync.push.decisions import post_body
from desktop_app.sync.transport.http import ClientError
from tests.scene import Scene

SQUARE = "POLYGON ((10 10, 110 10, 110 110, 10 110, 10 10))"


def _client_body(scene: Scene, comment: str) -> Any:
    """What the sync client POSTs for a reader's rejection of a sent annotation."""
    with scene.store.unit_of_work(label="Draw", user_pk=scene.user_pk) as uow:
        ann = create_annotation(
            uow, image_pk=scene.image_pk, geometry=SQUARE, user_pk=scene.user_pk, term_pks=[]
        )
        ann.server_id = 41
        d = ReviewDecision(
            annotation_pk=ann.pk,
            project_pk=ann.project_pk,
            image_pk=ann.image_pk,
            reviewer_pk=scene.user_pk,
            role=DecisionRole.READER,
            decision=Verdict.REJECTED,
            reason="other",
            comment=comment,
            term_pks=[],
            decided_at=datetime(2026, 1, 2, tzinfo=UTC),
        )
        return post_body(uow.session, d)


def test_the_client_body_is_what_the_server_parses(scene: Scene) -> None:
    body = _client_body(scene, "cut")
    assert isinstance(body, dict)
    parsed = DecisionRequest.model_validate(body)  # the server's parse: extra fields refused
    assert (parsed.annotation, parsed.decision, parsed.comment) == (41, "rejected", "cut")
    assert set(body) == set(DecisionRequest.model_fields)


def test_a_renamed_decision_field_fails_the_parse() -> None:
    with pytest.raises(ValidationError) as exc:
        DecisionRequest.model_validate({"annotation": 4, "decison": "accepted"})
    assert "decison" in error_message(exc.value.errors()[0])


def test_a_decision_the_server_would_refuse_is_refused_by_the_client(scene: Scene) -> None:
    refused = _client_body(scene, "x" * (MAX_COMMENT + 1))
    assert isinstance(refused, ClientError)
    assert refused.status == 400 and "comment" in str(refused)


def test_a_cytomine_body_names_the_fields_it_does_not_read() -> None:
    sent = {"name": "gland", "ontology": "3", "colour": "#00FF00", "id": 7}
    assert TermBody.model_validate(sent).ontology == 3
    assert unknown_fields(TermBody, sent) == ["colour", "id"]
    with pytest.raises(ValidationError) as exc:
        TermBody.model_validate({"nme": "gland", "ontology": 3})
    assert error_message(exc.value.errors()[0]) == "name is required"
