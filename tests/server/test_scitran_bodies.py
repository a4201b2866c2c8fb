"""SciTran request bodies through their wire models (``desktop_app/protocol/scitran``):
each field that does not fit is a 400 in the server's error JSON, with the message the
SciTran routes give, and nothing is applied."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.model.scitran import Ethnicity, Race, Sex
from desktop_app.model.security import Access
from desktop_app.protocol.scitran.containers import (
    ETHNICITIES,
    RACES,
    SEXES,
    CollectionBody,
    SessionBody,
)
from desktop_app.protocol.scitran.edits import ACCESS_LEVELS, InfoUpdate, PermissionBody
from desktop_app.protocol.scitran.sub import GroupBody, NoteBody
from tests.server.harness import Server


def test_subject_values_are_the_models() -> None:
    assert tuple(s.value for s in Sex) == SEXES
    assert tuple(r.value for r in Race) == RACES
    assert tuple(e.value for e in Ethnicity) == ETHNICITIES
    assert tuple(a.value for a in Access) == ACCESS_LEVELS


def test_models_read_the_wire_names() -> None:
    body = SessionBody.model_validate({"label": "x", "subject": {"code": "S", "age": 3}})
    assert body.sent("label") and not body.sent("public") and body.subject is not None
    assert body.subject.code == "S" and body.subject.sent("age")
    contents = {"operation": "add", "nodes": [{"level": "session", "_id": "7"}]}
    got = CollectionBody.model_validate({"contents": contents}).contents
    assert got is not None and got.nodes[0].id == "7"
    assert GroupBody.model_validate({"_id": "lab"}).id == "lab"
    assert NoteBody.model_validate({"text": 5}).text == "5"
    assert PermissionBody.model_validate({"uid": "jo", "access": "ro"}).id == "jo"
    assert InfoUpdate.model_validate({"set": {"b": 2}}).applied({"a": 1}) == {"a": 1, "b": 2}
    assert InfoUpdate.model_validate({"delete": ["a"]}).applied({"a": 1, "c": 3}) == {"c": 3}
    assert InfoUpdate.model_validate({"replace": {"z": 0}}).applied({"a": 1}) == {"z": 0}


#: (route, body, the 400's message); ``{pid}``/``{sid}`` are a project and a session of
#: the world project.
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "/api/projects", {"description": "d"}, "label is required"),
    ("POST", "/api/projects", {"label": " "}, "label must not be empty"),
    ("PUT", "/api/sessions/{sid}", {"public": "yes"}, "public must be true or false"),
    ("PUT", "/api/sessions/{sid}", {"tags": ["a", 3]}, "tags must be a list of strings"),
    ("PUT", "/api/sessions/{sid}", {"info": []}, "info must be an object"),
    ("PUT", "/api/sessions/{sid}", {"label": ["x"]}, "label must be a string"),
    (
        "PUT",
        "/api/sessions/{sid}",
        {"timestamp": "soon"},
        "timestamp must be an ISO 8601 timestamp",
    ),
    ("PUT", "/api/sessions/{sid}", {"subject": 3}, "subject must be an object"),
    (
        "PUT",
        "/api/sessions/{sid}",
        {"subject": {"sex": "robot"}},
        "subject.sex must be one of female|male|other|unknown",
    ),
    (
        "PUT",
        "/api/sessions/{sid}",
        {"subject": {"age": -1}},
        "subject.age must be a non-negative integer (seconds)",
    ),
    (
        "PUT",
        "/api/sessions/{sid}",
        {"subject": {"code": "c", "firstname_hash": "x"}},
        "Additional properties are not allowed: firstname_hash",
    ),
    ("PUT", "/api/sessions/{sid}", {"subject": {"info": 1}}, "subject.info must be an object"),
    (
        "POST",
        "/api/analyses",
        {"label": "a"},
        'parent must be {"type": <container type>, "id": <id>}',
    ),
    (
        "POST",
        "/api/collections",
        {"contents": {"operation": "move", "nodes": []}},
        'contents must be {"operation": "add"|"remove", "nodes": [...]}',
    ),
    (
        "POST",
        "/api/collections",
        {"contents": {"operation": "add", "nodes": {}}},
        "contents.nodes must be a list",
    ),
    (
        "POST",
        "/api/collections",
        {"contents": {"operation": "add", "nodes": [{"level": "project", "_id": "1"}]}},
        'each node must be {"level": "session"|"acquisition", "_id": ...}',
    ),
    ("POST", "/api/sessions/{sid}/notes", {}, "text is required"),
    ("POST", "/api/groups", {"_id": "g", "tags": "x"}, "tags must be a list of strings"),
    ("POST", "/api/groups", {"_id": 5}, "_id must be a non-numeric name without spaces or slashes"),
    (
        "POST",
        "/api/users",
        {"_id": ["u"], "firstname": "F", "lastname": "L"},
        "_id must be a string",
    ),
    ("PUT", "/api/users/bob", {"avatar": "http://x/a.png"}, "avatar must be an https URL"),
    (
        "PUT",
        "/api/users/bob",
        {"avatars": {"custom": "ftp://x"}},
        "avatars.custom must be an https URL",
    ),
    ("PUT", "/api/users/bob", {"disabled": "no"}, "disabled must be true or false"),
    (
        "POST",
        "/api/sessions/{sid}/tags",
        {"value": "x" * 33},
        "value must be a tag of 1 to 32 characters",
    ),
    ("POST", "/api/sessions/{sid}/tags", ["a"], "value must be a tag of 1 to 32 characters"),
    (
        "POST",
        "/api/sessions/{sid}/info",
        {"set": {}, "delete": []},
        'Give exactly one of {"set": {...}}, {"replace": {...}}, {"delete": [...]}',
    ),
    ("POST", "/api/sessions/{sid}/info", {"delete": "a"}, "delete takes a list of keys"),
    ("POST", "/api/sessions/{sid}/info", {"set": [1]}, "set takes an object"),
    (
        "POST",
        "/api/projects/{pid}/permissions",
        {"_id": "bob", "access": "boss"},
        "access must be one of ro, rw, admin",
    ),
    (
        "POST",
        "/api/projects/{pid}/permissions",
        {"access": "ro"},
        "_id must be a user id (a login)",
    ),
    (
        "PUT",
        "/api/projects/{pid}/permissions/bob",
        {"access": None},
        "access must be one of ro, rw, admin",
    ),
    ("POST", "/api/projects/{pid}/template", {"session": []}, "template.session must be an object"),
    (
        "POST",
        "/api/projects/{pid}/template",
        {"acquisitions": [{"files": []}]},
        "template.acquisitions must be objects with an integer minimum",
    ),
    (
        "POST",
        "/api/projects/{pid}/template",
        {"acquisitions": [{"minimum": 1, "files": [{}]}]},
        "template files must be objects with an integer minimum",
    ),
    (
        "PUT",
        "/api/sessions/{sid}/files/f.txt",
        {"measurements": [1]},
        "measurements must be a list of strings",
    ),
]


@pytest.mark.parametrize(("method", "route", "body", "message"), CASES)
def test_a_bad_field_is_a_400_naming_it(
    server: Server,
    world: dict[str, int],
    method: str,
    route: str,
    body: dict[str, Any],
    message: str,
) -> None:
    root = server.client("root")
    pid = str(world["project"])
    sid = root.post("/api/sessions", {"project": pid, "label": "bodies"}).json()["_id"]
    if "/files/" in route:
        assert root.post(f"/api/sessions/{sid}/files", files={"file": ("f.txt", b"x")}).ok
    before = root.get(f"/api/sessions/{sid}").json()
    r = root.request(method, route.format(pid=pid, sid=sid), body)
    assert r.status_code == 400, r.text
    assert r.json()["success"] is False and r.json()["errors"] == message
    after = root.get(f"/api/sessions/{sid}").json()
    assert {k: v for k, v in after.items() if k != "modified"} == {
        k: v for k, v in before.items() if k != "modified"
    }
