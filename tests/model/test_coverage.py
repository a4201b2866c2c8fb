"""The model against the two seed documents themselves (``tests/model/seed/``).

Entities are read from the Cytomine-Core data model page (its CamelCase names, linked
names, "Package …" list and "X(s)" plurals) and from the SciTran data model (its field
tables, each with its fields); every one must be mapped, and every SciTran field must
have the column, link table or child table that holds it.  Where our name differs from
the document's, ``OUR_NAME`` says so, and each of its keys must occur in the document:
a renamed or dropped entity fails here, and so does a name the document never used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Table
from sqlalchemy.orm import configure_mappers

import desktop_app.model as model
from desktop_app.model.base import Base

SEED = Path(__file__).with_name("seed")
CORE = (SEED / "cytomine-core-data-model.txt").read_text(encoding="utf-8")
SCITRAN = (SEED / "scitran-data-model.txt").read_text(encoding="utf-8")

#: The document's name -> our class, where they differ.
OUR_NAME = {
    # Cytomine-Core
    "UserJobAnnotation": "AlgoAnnotation",
    "Image": "ImageInstance",
    "Metadata": "ImageMetadata",
    "Activity": "UserPosition",  # the package: positions, connections, consultations
    "Position": "UserPosition",
    "Connection": "ProjectConnection",
    "Multidimension": "ImageSequence",
    "Permission": "AclEntry",
    "Middleware": "ImageServer",
    # SciTran
    "File": "ContainerFile",
    "scitran:Permission": "ProjectMember",  # and GroupPermission, ContainerPermission
}

#: A SciTran field name -> our column names to look for first (a field is also found
#: under its own name, as ``<name>_pk``, or through a link or child table).
COLUMN_ALIASES = {
    "_id": ("pk", "code"),
    "modified": ("updated",),
    "key": ("api_key",),
    "uid": ("data_uid", "user_pk"),  # data-derived id; a permission's holder
}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def cytomine_entities(text: str) -> set[str]:
    names = set(re.findall(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b", text))  # CamelCase
    names |= set(re.findall(r"\[([A-Z][A-Za-z]+)\]\(#\)", text))  # [Project](#)
    names |= set(re.findall(r"\b([A-Z][a-z]+)\(s\)", text))  # User(s)
    names |= set(re.findall(r"(?<=/)[A-Z][A-Za-z]+|[A-Z][A-Za-z]+(?= ?/)", text))  # A /B/C
    for package in re.findall(r"^- Package (.+)$", text, re.M):
        names |= set(re.findall(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\b", package))
    return {_singular(n) for n in names}


@dataclass
class SciTranTable:
    name: str
    extends: str | None = None
    subdocument: bool = False
    #: field -> (type, description)
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)


def _untitled_name(fields: dict[str, tuple[str, str]]) -> str:
    """Tables whose heading the page lost (it was an image): told apart by their rows."""
    label = fields.get("label", ("", ""))[1]
    if label == "group label":
        return "Group"
    if label == "device name":
        return "Device"
    if "root" in fields:
        return "User"
    if "notes" in fields:
        return "Container"
    raise AssertionError(f"an untitled SciTran table with fields {sorted(fields)}")


def scitran_tables(text: str) -> dict[str, SciTranTable]:
    lines = text.splitlines()
    out: dict[str, SciTranTable] = {}
    for i, line in enumerate(lines):
        if line.strip() != "Field Type Description":
            continue
        fields: dict[str, tuple[str, str]] = {}
        for row in lines[i + 1 :]:
            if not row.strip():
                break
            name, kind, *desc = row.split()
            if desc and re.search(rf"^{kind} {desc[0]} \(", text, re.M):  # "File Origin"
                kind, desc = f"{kind} {desc[0]}", desc[1:]
            if kind.startswith("["):
                kind = row.split("[", 1)[1].split(",")[0].split("]")[0]
                kind = f"[{kind}]"
            fields[name.strip("†‡")] = (kind, " ".join(desc))
        above = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        heading = re.fullmatch(
            r"([A-Z][A-Za-z ]+?)(?: \((extends (\w+)|subdocument only)\))?", above
        )
        if heading and heading.group(2) is not None:
            table = SciTranTable(
                heading.group(1), heading.group(3), heading.group(2) == "subdocument only"
            )
        else:
            table = SciTranTable(_untitled_name(fields))
        table.fields = fields
        out[table.name] = table
    return out


def _classes() -> dict[str, type]:
    configure_mappers()
    return {m.class_.__name__: m.class_ for m in Base.registry.mappers}


def _table(class_name: str) -> Table:
    return _classes()[class_name].__table__  # type: ignore[attr-defined,no-any-return]


def test_the_seed_documents_are_parsed() -> None:
    """The parsers see what a reader sees (so a test below cannot pass on an empty list)."""
    core = cytomine_entities(CORE)
    assert {"Project", "AbstractImage", "ReviewedAnnotation", "UserJobAnnotation"} <= core
    assert {"Software", "Ontology", "ImageGroup", "Metadata", "Command", "Task"} <= core
    tables = scitran_tables(SCITRAN)
    assert set(tables) >= {"Group", "User", "Container", "Project", "Session", "Subject"}
    assert set(tables) >= {"Acquisition", "Analysis", "Collection", "Note", "File", "Device"}
    assert tables["Session"].extends == "Container" and tables["Note"].subdocument
    assert "firstname_hash" in tables["Subject"].fields


def test_our_names_are_names_of_the_documents() -> None:
    known = cytomine_entities(CORE) | {f"scitran:{n}" for n in scitran_tables(SCITRAN)}
    known |= set(scitran_tables(SCITRAN))
    assert set(OUR_NAME) <= known, sorted(set(OUR_NAME) - known)


@pytest.mark.parametrize("name", sorted(cytomine_entities(CORE)))
def test_cytomine_entity_is_mapped(name: str) -> None:
    _assert_mapped(name, OUR_NAME.get(name, name))


_SCITRAN_CLASSES = {
    n: OUR_NAME.get(f"scitran:{n}", OUR_NAME.get(n, n))
    for n, t in scitran_tables(SCITRAN).items()
    if n != "Container" and (not t.subdocument or n in ("Subject", "Note", "File", "Permission"))
}


@pytest.mark.parametrize(("name", "class_name"), sorted(_SCITRAN_CLASSES.items()))
def test_scitran_entity_is_mapped(name: str, class_name: str) -> None:
    _assert_mapped(name, class_name)


def _assert_mapped(name: str, class_name: str) -> None:
    classes = _classes()
    assert class_name in classes, f"{name} -> {class_name} is not mapped"
    assert _table(class_name).name in Base.metadata.tables
    assert class_name in model.__all__, f"{class_name} not re-exported by desktop_app.model"


def _names(table: Table) -> list[str]:
    return [c.name for c in table.columns]


def _scitran_fields() -> list[tuple[str, str]]:
    tables = scitran_tables(SCITRAN)
    out = []
    for name, t in tables.items():
        if name == "Container":
            continue
        inherited = tables[t.extends].fields if t.extends else {}
        out += [(name, f) for f in sorted({**inherited, **t.fields})]
    return out


def _holder(entity: str, fieldname: str) -> str | None:
    """Where our model keeps ``entity.fieldname`` ("table.column"), or None."""
    tables = scitran_tables(SCITRAN)
    t = tables[entity]
    fields = {**(tables[t.extends].fields if t.extends else {}), **t.fields}
    kind = fields[fieldname][0]
    if entity in _SCITRAN_CLASSES:
        table = _table(_SCITRAN_CLASSES[entity])
    else:  # a subdocument kept inside its parent's row: a JSON column, or prefixed columns
        parent, via = next(
            (p, f) for p in _SCITRAN_CLASSES for f, (k, _) in tables[p].fields.items()
            if k == entity or f == entity.lower()
        )  # fmt: skip
        table = _table(_SCITRAN_CLASSES[parent])
        for col in (via, f"{via}_{fieldname}"):
            if col in table.c:
                return f"{table.name}.{col}"
        return None
    for col in (*COLUMN_ALIASES.get(fieldname, ()), fieldname, f"{fieldname}_pk"):
        if col in table.c:
            return f"{table.name}.{col}"
    owner = f"{table.name.removeprefix('scitran_')}_pk"
    if kind.startswith("["):  # rows pointing back: children, or a link table
        element = kind.strip("[]")
        child = _SCITRAN_CLASSES.get(element, element)
        candidates = [t for t in Base.metadata.tables.values() if element.lower() in t.name]
        if child in _classes():
            candidates.append(_table(child))
        candidates += [
            t for t in Base.metadata.tables.values() if f"{_singular(fieldname)}_pk" in t.c
        ]
        for other in candidates:
            for col in ("container_pk", owner, f"{_singular(fieldname)}_pk"):
                if col in other.c and (col != f"{_singular(fieldname)}_pk" or owner in other.c):
                    return f"{other.name}.{col}"
        return None
    if kind in tables and kind not in _SCITRAN_CLASSES:  # an embedded subdocument
        prefixed = [c for c in _names(table) if c.startswith(f"{fieldname}_")]
        return f"{table.name}.{prefixed[0]}" if prefixed else None
    for fk in (c for c in _names(table) if c.endswith("_pk") and c != "pk"):  # via a parent
        parent = Base.metadata.tables.get(fk.removesuffix("_pk"))
        if parent is not None and f"{fieldname}_pk" in parent.c:
            return f"{parent.name}.{fieldname}_pk"
    return None


@pytest.mark.parametrize(("entity", "fieldname"), _scitran_fields())
def test_scitran_field_has_a_column(entity: str, fieldname: str) -> None:
    assert _holder(entity, fieldname) is not None, f"{entity}.{fieldname}: nowhere in the model"


def test_permission_tables_share_the_access_enum() -> None:
    for table in ("project_member", "group_permission", "container_permission"):
        col = Base.metadata.tables[table].c.access
        assert list(col.type.enums) == ["ro", "rw", "admin"]  # type: ignore[attr-defined]


def test_synced_entities_carry_the_sync_columns() -> None:
    sync_cols = {"pk", "uid", "server_id", "server_updated", "base_json", "dirty_fields",
                 "local_deleted", "sync_state", "created", "updated", "deleted"}  # fmt: skip
    plain = {
        "sec_user_sec_role", "sec_role", "user_job", "acl_entry", "project_member",
        "relation", "reviewed_annotation_term", "version", "group_permission",
        "container_permission", "collection_acquisition", "pending_permission",
    }  # fmt: skip
    # The sync machinery's own tables (model/sync.py) are bookkeeping, not entities.
    plain |= {
        c.__table__.name  # type: ignore[attr-defined]
        for c in _classes().values()
        if c.__module__ == "desktop_app.model.sync"
    }
    for name, table in Base.metadata.tables.items():
        if name in plain:
            continue
        missing = sync_cols - set(table.c.keys())
        assert not missing, f"{name} lacks {sorted(missing)}"
