"""The Cytomine answer schemas (``desktop_app.protocol.cytomine.answers_*``) against the
real server: the objects the sync client parses, built through the routes it calls.

Each answer must validate through the schema the client parses it with, and the keys
must match both ways: a key the server sends that the schema does not name fails (a
field renamed or added on the server), and so does a key the schema names that none of
the server's answers carries (a field renamed in the schema).  Nested objects
(``centroid``, ``userByTerm``, ``attr``...) are held to their own schemas the same way.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from typing_extensions import get_type_hints, is_typeddict

from desktop_app.protocol.cytomine.answer_base import LIST_PAGE, AnswerError, parse, wire_keys
from desktop_app.protocol.cytomine.answers_annotation import (
    ANNOTATION,
    ANNOTATION_TERM,
    AnnotationJson,
    AnnotationTermJson,
    BulkCreated,
)
from desktop_app.protocol.cytomine.answers_command import COMMAND_SCHEMAS, COMMANDS
from desktop_app.protocol.cytomine.answers_image import (
    IMAGE_INSTANCE,
    AbstractImageJson,
    ImageInstanceJson,
    SliceInstanceJson,
    StorageJson,
    UploadAnswer,
    UploadedFileJson,
)
from desktop_app.protocol.cytomine.answers_meta import (
    AttachedFileJson,
    DescriptionJson,
    PropertyJson,
)
from desktop_app.protocol.cytomine.answers_project import (
    CURRENT_USER,
    ONTOLOGY,
    PING,
    PROJECT,
    TERM,
    CurrentUserJson,
    MemberJson,
    OntologyJson,
    PingJson,
    ProjectJson,
    TermJson,
    UserJson,
)
from desktop_app.sync.transport.http import MalformedResponse, parse_as
from tests.server.harness import Client, Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"


class Seen:
    """The keys each schema met in the server's answers, and what did not fit."""

    def __init__(self) -> None:
        self.keys: dict[Any, set[str]] = defaultdict(set)
        self.unknown: list[str] = []

    def check(self, schema: Any, obj: Any, where: str) -> None:
        """``obj`` validates as ``schema`` unchanged; its keys, nested ones included,
        are the schema's."""
        parsed = TypeAdapter(schema).validate_python(obj)
        assert parsed == obj, f"{where}: the schema changed a value"
        self._walk(schema, obj, where)

    def _walk(self, schema: Any, obj: Any, where: str) -> None:
        if is_typeddict(schema) and isinstance(obj, dict):
            names = wire_keys(schema)
            self.keys[schema].update(k for k in obj if k in names)
            self.unknown += [
                f"{where}.{k}: the server sends it, {schema.__name__} does not name it"
                for k in obj
                if k not in names
            ]
            hints = get_type_hints(schema)
            for k, v in obj.items():
                if k in hints:
                    self._walk(hints[k], v, f"{where}.{k}")
            return
        origin = typing.get_origin(schema)
        if origin in (typing.Union, types.UnionType):
            for arg in typing.get_args(schema):
                if is_typeddict(arg) or typing.get_origin(arg) is list:
                    self._walk(arg, obj, where)
        elif origin is list and isinstance(obj, list):
            (item,) = typing.get_args(schema)
            for n, v in enumerate(obj):
                self._walk(item, v, f"{where}[{n}]")

    def never_sent(self, schemas: list[Any]) -> list[str]:
        """Keys a schema names that no answer carried."""
        return [
            f"{s.__name__}.{k}: named by the schema, never sent by the server"
            for s in schemas
            for k in sorted(wire_keys(s) - self.keys[s])
        ]


def _world(a: Client, server: Server, slide_path: Path) -> dict[str, Any]:
    """A project of its own (ontology, two terms, an image): review mode is started on
    its image, which the shared world's tests must not see."""
    onto = a.post("/api/ontology.json", {"name": f"answers-{server.backend}"}).json()
    o = onto["ontology"]["id"]
    t1 = a.post("/api/term.json", {"name": "tumor", "color": "#FF0000", "ontology": o}).json()
    t2 = a.post("/api/term.json", {"name": "stroma", "ontology": o}).json()
    a.post("/api/relation/parent/term.json", {"term1": t1["term"]["id"], "term2": t2["term"]["id"]})
    project = a.post("/api/project.json", {"name": "answers", "ontology": o}).json()
    p = project["project"]["id"]
    assert a.post(f"/api/project/{p}/user/{server.users['bob'].id}.json").ok
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    with open(slide_path, "rb") as f:
        r = a.post(
            "/upload",
            params={"storage": storage, "projects": p},
            files={"files[]": ("answers.tiff", f)},
        )
    image = r.json()[0]["images"][0]["imageInstances"][0]["id"]
    return {
        "upload": r.json(),
        "storage": storage,
        "onto": onto,
        "o": o,
        "t1": t1,
        "t2": t2,
        "project": project,
        "p": p,
        "image": image,
    }


def _items(a: Client, path: str, **params: Any) -> list[Any]:
    body = a.get(path, params=params).json()
    return list(parse(LIST_PAGE, body, "list")["collection"])


def test_every_answer_the_sync_client_parses_has_the_schemas_keys(
    server: Server, slide_path: Path
) -> None:
    a = server.client("alice")
    w = _world(a, server, slide_path)
    p, image, t1 = w["p"], w["image"], w["t1"]["term"]["id"]
    seen = Seen()
    made = a.post("/api/annotation.json", {"image": image, "location": SQUARE, "term": [t1]})
    ann = made.json()["annotation"]
    other = a.post("/api/annotation.json", {"image": image, "location": SQUARE}).json()
    two = [{"image": image, "location": SQUARE, "uid": str(uuid.uuid4())} for _ in range(2)]
    bulk_created = a.post("/api/annotation.json", two).json()
    link = {"annotation": other["annotation"]["id"], "term": t1}
    push = {"ops": [{"entity": "annotationterm", "action": "create", "data": link}]}
    pushed = a.post("/api/sync/push.json", push).json()["results"][0]
    assert pushed["status"] == 200, pushed
    assert a.post(f"/api/imageinstance/{image}/review.json").ok
    reviewed = a.post(f"/api/annotation/{ann['id']}/review.json", {"terms": [t1]}).json()
    rid = reviewed["reviewedannotation"]["id"]
    on = f"/api/domain/{ann['class']}/{other['annotation']['id']}"
    prop = a.post(f"{on}/property.json", {"key": "grade", "value": "2"}).json()
    desc = a.post(f"{on}/description.json", {"data": "a note"}).json()
    attached = a.post(
        "/api/attachedfile.json",
        params={"domainIdent": other["annotation"]["id"], "domainClassName": ann["class"]},
        files={"files[]": ("note.txt", b"hello")},
    ).json()
    listing = {"showMeta": "true", "showWKT": "true", "showTerm": "true", "showGIS": "true"}

    objects: list[tuple[Any, Any, str]] = [
        (AnnotationJson, ann, "annotation created"),
        (AnnotationJson, a.get(f"/api/annotation/{ann['id']}.json").json(), "annotation"),
        (AnnotationJson, reviewed["reviewedannotation"], "reviewed annotation created"),
        (AnnotationJson, a.get(f"/api/reviewedannotation/{rid}.json").json(), "reviewed"),
        (AnnotationTermJson, pushed["body"]["annotationterm"], "annotationterm"),
        (TermJson, w["t1"]["term"], "term created"),
        (PropertyJson, prop["property"], "property created"),
        (DescriptionJson, desc["description"], "description created"),
        (AttachedFileJson, attached["attachedfile"], "attached file created"),
        (OntologyJson, a.get(f"/api/ontology/{w['o']}.json").json(), "ontology"),
        (ProjectJson, a.get(f"/api/project/{p}.json").json(), "project"),
        (ImageInstanceJson, a.get(f"/api/imageinstance/{image}.json").json(), "image"),
        (CurrentUserJson, a.get("/api/user/current.json").json(), "current user"),
        (PingJson, a.get("/server/ping").json(), "ping"),
        (BulkCreated, bulk_created, "bulk save answer"),
        (list[UploadAnswer], w["upload"], "upload answer"),
    ]
    lists: list[tuple[Any, str, dict[str, Any]]] = [
        (AnnotationJson, "/api/annotation.json", {"image": image, **listing}),
        (AnnotationJson, "/api/annotation.json", {"image": image, "reviewed": "true", **listing}),
        (TermJson, f"/api/ontology/{w['o']}/term.json", {}),
        (ProjectJson, "/api/project.json", {}),
        (ImageInstanceJson, f"/api/project/{p}/imageinstance.json", {}),
        (MemberJson, f"/api/project/{p}/user.json", {}),
        (MemberJson, f"/api/project/{p}/admin.json", {}),
        (UserJson, "/api/user.json", {}),
        (StorageJson, "/api/storage.json", {}),
        (UploadedFileJson, "/api/uploadedfile.json", {}),
        (SliceInstanceJson, f"/api/imageinstance/{image}/sliceinstance.json", {}),
    ]
    for schema, path, params in lists:
        rows = _items(a, path, **params)
        assert rows, path
        objects += [(schema, row, f"{path} {params}") for row in rows]
    bulk = a.get(f"/api/project/{p}/annotations/bulk.json").json()
    for schema, key in (
        (AnnotationJson, "annotations"),
        (PropertyJson, "properties"),
        (DescriptionJson, "descriptions"),
        (AttachedFileJson, "attachedFiles"),
    ):
        assert bulk[key], key
        objects += [(schema, row, f"bulk page {key}") for row in bulk[key]]
    abstract = w["upload"][0]["images"][0]["image"]["id"]
    abstract_json = a.get(f"/api/abstractimage/{abstract}.json").json()
    objects.append((AbstractImageJson, abstract_json, "abstract image"))
    for schema, obj, where in objects:
        seen.check(schema, obj, where)
    assert seen.unknown == []
    assert seen.never_sent(list(seen.keys)) == []
    assert {AnnotationJson, TermJson, MemberJson, ImageInstanceJson, PropertyJson} <= set(seen.keys)


def test_a_renamed_field_is_an_error_naming_it() -> None:
    """The client refuses an answer missing a field it needs, by the field's name."""
    with pytest.raises(AnswerError, match="baseImage"):
        parse(IMAGE_INSTANCE, {"id": 1, "base_image": 2, "width": 3, "height": 4}, "image")
    with pytest.raises(AnswerError, match="username"):
        parse(CURRENT_USER, {"id": 1, "userName": "alice"}, "current user")
    with pytest.raises(AnswerError, match="userByTerm.0.user"):
        parse(ANNOTATION, {"id": 1, "userByTerm": [{"term": 3, "users": [1]}]}, "annotation")
    with pytest.raises(AnswerError, match="term"):
        parse(ANNOTATION_TERM, {"id": 1, "userannotation": 2, "termId": 3}, "link")
    for adapter, obj in ((PROJECT, {"id": 1}), (TERM, {"id": 1}), (ONTOLOGY, {"id": 1})):
        with pytest.raises(AnswerError, match="name"):
            parse(adapter, obj, "object")
    with pytest.raises(ValidationError):
        PING.validate_python({"serverID": 3.5})
    kept = parse(ANNOTATION, {"id": 1, "newField": [1]}, "annotation")
    assert kept == {"id": 1, "newField": [1]}  # a stock server's extra field is kept


def test_every_command_envelope_the_sync_client_reads_has_the_schemas_keys(
    server: Server, slide_path: Path
) -> None:
    """The envelopes of ``answers_command.COMMANDS``, each made by the route the client
    posts to (publishing a local project, adding an image instance to a project)."""
    a = server.client("alice")
    tag = uuid.uuid4().hex[:8]
    onto = a.post("/api/ontology.json", {"name": f"commands {tag}"}).json()
    o = onto["ontology"]["id"]
    term = a.post("/api/term.json", {"name": "tumor", "color": "#FF0000", "ontology": o}).json()
    child = a.post("/api/term.json", {"name": "stroma", "ontology": o}).json()
    link = {"term1": term["term"]["id"], "term2": child["term"]["id"]}
    relation = a.post("/api/relation/parent/term.json", link).json()
    project = a.post("/api/project.json", {"name": f"commands {tag}", "ontology": o}).json()
    other = a.post("/api/project.json", {"name": f"commands {tag} upload"}).json()
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    with open(slide_path, "rb") as f:
        r = a.post(
            "/upload",
            params={"storage": storage, "projects": other["project"]["id"]},
            files={"files[]": ("commands.tiff", f)},
        )
    abstract = r.json()[0]["images"][0]["image"]["id"]
    body = {"baseImage": abstract, "project": project["project"]["id"], "uid": str(uuid.uuid4())}
    instance = a.post("/api/imageinstance.json", body).json()
    made = {
        "project": project,
        "ontology": onto,
        "term": term,
        "relationterm": relation,
        "imageinstance": instance,
    }
    assert set(made) == set(COMMANDS)
    seen = Seen()
    for key, envelope in made.items():
        seen.check(COMMAND_SCHEMAS[key], envelope, f"{key} command")
        assert parse(COMMANDS[key], envelope, key)[key]["id"] == envelope[key]["id"]
    assert seen.unknown == []
    assert seen.never_sent(list(seen.keys)) == []
    assert set(COMMAND_SCHEMAS.values()) <= set(seen.keys)


def test_a_missing_or_renamed_envelope_key_is_a_malformed_response_naming_it() -> None:
    term = {"id": 7, "name": "tumor"}
    with pytest.raises(MalformedResponse, match="term command: term: Field required"):
        parse_as(COMMANDS["term"], {"message": "Term 7 added", "command": 3}, "term command")
    with pytest.raises(MalformedResponse, match="project: Field required"):
        parse_as(COMMANDS["project"], {"Project": {**term}}, "project command")
    with pytest.raises(MalformedResponse, match=r"relationterm\.term2: Field required"):
        parse_as(COMMANDS["relationterm"], {"relationterm": {"id": 1, "term1": 2}}, "relation")
    with pytest.raises(MalformedResponse, match="not a valid dictionary|dict"):
        parse_as(COMMANDS["term"], [term], "term command")
    assert parse_as(COMMANDS["term"], {"term": term}, "term command") == {"term": term}
