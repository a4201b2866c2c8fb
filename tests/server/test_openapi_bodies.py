"""The Cytomine request bodies are in the server's /openapi.json (``wire.body_doc``).

Routes read their bodies through ``parse_body``, so that a body that does not fit is a
400 in Cytomine's error JSON, not FastAPI's 422; the schema the published document
carries is the same ``desktop_app.protocol`` model, with nested models inline.
"""

from __future__ import annotations

import json
from typing import Any

from tests.server.harness import Server


def _body(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    op = doc["paths"][path][method]
    schema: dict[str, Any] = op["requestBody"]["content"]["application/json"]["schema"]
    return schema


def test_request_bodies_are_documented_and_still_answered_400(server: Server) -> None:
    a = server.client("alice")
    doc = a.get("/openapi.json").json()

    project = _body(doc, "/api/project.json", "post")
    assert project["required"] == ["name"]
    assert {"name", "ontology", "blindMode", "isReadOnly"} <= set(project["properties"])
    assert _body(doc, "/api/project/{project_id}.json", "put") == project

    one, many = _body(doc, "/api/annotation.json", "post")["anyOf"]
    assert {"location", "image", "term", "property"} <= set(one["properties"])
    assert many == {"type": "array", "items": one}

    term = _body(doc, "/api/term/{pk}.json", "put")  # an item route of crud.item_routes
    assert {"name", "color", "ontology"} <= set(term["properties"])

    decision = _body(doc, "/api/reviewdecision.json", "post")
    assert decision["additionalProperties"] is False
    assert {"annotation", "decision", "reason", "decidedAt"} <= set(decision["properties"])

    reasons = _body(doc, "/api/project/{pk}/reviewreason.json", "put")
    assert set(reasons["properties"]["collection"]["items"]["required"]) == {"code", "label"}

    assert "requestBody" not in doc["paths"]["/api/project.json"]["get"]
    assert "#/$defs/" not in json.dumps(doc)  # nested models are inline

    # Documentation only: validation and its status codes are parse_body's, as before.
    refused = a.post("/api/project.json", {"name": "p", "ontology": "none"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == "ontology must be an integer"
    assert a.post("/api/term.json", {"ontology": 1}).status_code == 400
