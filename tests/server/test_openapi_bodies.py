"""The Cytomine request bodies (``wire.body_doc``) and the answers the sync client parses
(``wire.answer_doc``) are in the server's /openapi.json.

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


def _answer(doc: dict[str, Any], path: str) -> dict[str, Any]:
    ok = doc["paths"][path]["get"]["responses"]["200"]
    schema: dict[str, Any] = ok["content"]["application/json"]["schema"]
    return schema


def test_answers_are_documented_by_the_schemas_the_client_parses_with(server: Server) -> None:
    doc = server.client("alice").get("/openapi.json").json()
    project = _answer(doc, "/api/project/{project_id}.json")
    assert set(project["required"]) == {"id", "name"}
    assert project["additionalProperties"] is True  # a stock Cytomine's extra fields
    listing = _answer(doc, "/api/annotation.json")
    row = listing["properties"]["collection"]["items"]
    assert {"location", "term", "userByTerm", "centroid"} <= set(row["properties"])
    by_term = row["properties"]["userByTerm"]["items"]
    assert set(by_term["required"]) == {"term", "user"}  # nested schemas inline
    assert "username" in _answer(doc, "/api/user/current.json")["required"]
    images = _answer(doc, "/api/project/{pk}/imageinstance.json")
    assert {"baseImage", "width", "height"} <= set(
        images["properties"]["collection"]["items"]["required"]
    )


def test_scitran_request_bodies_are_documented_and_still_answered_400(server: Server) -> None:
    a = server.client("alice")
    doc = a.get("/openapi.json").json()

    new_project = _body(doc, "/api/projects", "post")
    assert new_project["required"] == ["label"]  # a project needs its label when created
    edit_project = _body(doc, "/api/projects/{cid}", "put")
    assert "required" not in edit_project
    assert {"label", "group", "description", "tags", "info"} <= set(edit_project["properties"])

    session = _body(doc, "/api/sessions/{cid}", "put")
    subject = session["properties"]["subject"]["anyOf"][0]  # nested model inline
    assert {"code", "sex", "age", "info"} <= set(subject["properties"])
    assert _body(doc, "/api/sessions", "post") == session

    contents = _body(doc, "/api/collections", "post")["properties"]["contents"]["anyOf"][0]
    assert contents["properties"]["operation"]["enum"] == ["add", "remove"]

    analysis = _body(doc, "/api/sessions/{cid}/analyses", "post")
    assert {"label", "parent", "job", "description"} <= set(analysis["properties"])
    assert _body(doc, "/api/sessions/{cid}/analyses/{aid}", "put") == analysis

    info = _body(doc, "/api/acquisitions/{cid}/info", "post")
    assert set(info["properties"]) == {"set", "replace", "delete"}
    assert _body(doc, "/api/sessions/{cid}/subject/info", "post") == info
    assert {"text"} == set(_body(doc, "/api/projects/{cid}/notes", "post")["properties"])
    assert "value" in _body(doc, "/api/groups/{gid}/tags/{value}", "put")["properties"]
    assert {"_id", "access"} <= set(_body(doc, "/api/groups/{gid}/permissions", "post")["required"])
    assert "_id" in _body(doc, "/api/users", "post")["properties"]
    assert "requestBody" not in doc["paths"]["/api/projects/{cid}/notes/{nid}"]["delete"]

    # Documentation only: the 400s stay parse_body's, in SciTran's error JSON.
    refused = a.post("/api/projects", {"label": "p", "public": "yes"})
    assert refused.status_code == 400
    gid = a.post("/api/groups", {"_id": f"doc-{server.backend}"}).json()["_id"]
    assert a.post(f"/api/groups/{gid}/tags", {"value": 3}).status_code == 400
