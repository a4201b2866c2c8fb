"""Every entity of both seed documents exists, and every SciTran field has a column."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import configure_mappers

import desktop_app.model as model
from desktop_app.model.base import Base

#: Entity named in the Cytomine-Core data model (000_...) -> the class implementing it.
CYTOMINE_ENTITIES = {
    "Project": "Project",
    "User": "User",
    "UserJob": "UserJob",
    "Role": "Role",
    "UserRole": "UserRole",
    "Ontology": "Ontology",
    "Term": "Term",
    "Relation": "Relation",
    "RelationTerm": "RelationTerm",
    "AbstractImage": "AbstractImage",
    "AbstractSlice": "AbstractSlice",
    "ImageInstance": "ImageInstance",
    "SliceInstance": "SliceInstance",
    "ImageSequence": "ImageSequence",
    "ImageGroup": "ImageGroup",
    "ImageServer": "ImageServer",
    "Storage": "Storage",
    "UploadedFile": "UploadedFile",
    "UserAnnotation": "UserAnnotation",
    "UserJobAnnotation": "AlgoAnnotation",
    "ReviewedAnnotation": "ReviewedAnnotation",
    "AnnotationTerm": "AnnotationTerm",
    "AlgoAnnotationTerm": "AlgoAnnotationTerm",
    "Software": "Software",
    "SoftwareParameter": "SoftwareParameter",
    "SoftwareProject": "SoftwareProject",
    "Job": "Job",
    "JobParameter": "JobParameter",
    "JobTemplate": "JobTemplate",
    "Property": "Property",
    "Description": "Description",
    "AttachedFile": "AttachedFile",
    "Metadata": "ImageMetadata",
    "Tag": "Tag",
    "TagDomainAssociation": "TagDomainAssociation",
    "Position": "UserPosition",
    "LastUserPosition": "LastUserPosition",
    "Connection": "ProjectConnection",
    "ImageConsultation": "ImageConsultation",
    "Command": "Command",
    "CommandHistory": "CommandHistory",
    "Task": "Task",
    "Version": "Version",
    "Permission - ACL": "AclEntry",
    "Discipline": "Discipline",
}

#: Entity named in the SciTran data model (003_...) -> the class implementing it.
SCITRAN_ENTITIES = {
    "Group": "Group",
    "User": "User",
    "Permission": "ProjectMember",  # and GroupPermission / ContainerPermission
    "Project": "Project",
    "Session": "Session",
    "Subject": "Subject",
    "Acquisition": "Acquisition",
    "Analysis": "Analysis",
    "Collection": "Collection",
    "Note": "Note",
    "File": "ContainerFile",
    "Device": "Device",
}

_CONTAINER = {
    "_id": "pk",
    "created": "created",
    "modified": "updated",
    "public": "public",
    "archived": "archived",
    "label": "label",
    "tags": "tags",
    "info": "info",
}

#: Every field of every SciTran table -> "table.column" holding it.  Arrays of
#: subdocuments (notes, files, analyses, permissions) are rows pointing back.
SCITRAN_FIELDS: dict[str, dict[str, str]] = {
    "Group": {
        "_id": "scitran_group.code",
        "created": "scitran_group.created",
        "modified": "scitran_group.updated",
        "label": "scitran_group.label",
        "permissions": "group_permission.group_pk",
        "tags": "scitran_group.tags",
    },
    "User": {
        "_id": "sec_user.pk",
        "created": "sec_user.created",
        "modified": "sec_user.updated",
        "firstname": "sec_user.firstname",
        "lastname": "sec_user.lastname",
        "email": "sec_user.email",
        "avatar": "sec_user.avatar",
        "avatars": "sec_user.avatars",
        "root": "sec_user.root",
        "key": "sec_user.api_key",
    },
    "Avatars": {  # a JSON subdocument: {"provider", "gravatar", "custom"}
        "provider": "sec_user.avatars",
        "gravatar": "sec_user.avatars",
        "custom": "sec_user.avatars",
    },
    "Permission": {
        "uid": "project_member.user_pk",
        "access": "project_member.access",
    },
    "Project": {
        **{k: f"project.{v}" for k, v in _CONTAINER.items()},
        "notes": "note.container_pk",
        "files": "container_file.container_pk",
        "analyses": "analysis.container_pk",
        "permissions": "project_member.project_pk",
        "group": "project.group_pk",
        "description": "project.description",
    },
    "Session": {
        **{k: f"session.{v}" for k, v in _CONTAINER.items()},
        "notes": "note.container_pk",
        "files": "container_file.container_pk",
        "analyses": "analysis.container_pk",
        "permissions": "container_permission.container_pk",
        "group": "project.group_pk",  # derived through session.project_pk
        "project": "session.project_pk",
        "uid": "session.data_uid",
        "timestamp": "session.timestamp",
        "timezone": "session.timezone",
        "subject": "session.subject_pk",
    },
    "Subject": {
        "_id": "subject.pk",
        "firstname": "subject.firstname",
        "lastname": "subject.lastname",
        "firstname_hash": "subject.firstname_hash",
        "lastname_hash": "subject.lastname_hash",
        "sex": "subject.sex",
        "race": "subject.race",
        "ethnicity": "subject.ethnicity",
        "age": "subject.age",
        "code": "subject.code",
        "info": "subject.info",
    },
    "Acquisition": {
        **{k: f"acquisition.{v}" for k, v in _CONTAINER.items()},
        "notes": "note.container_pk",
        "files": "container_file.container_pk",
        "analyses": "analysis.container_pk",
        "permissions": "container_permission.container_pk",
        "session": "acquisition.session_pk",
        "collections": "collection_acquisition.collection_pk",
        "uid": "acquisition.data_uid",
        "timestamp": "acquisition.timestamp",
        "timezone": "acquisition.timezone",
    },
    "Analysis": {
        **{k: f"analysis.{v}" for k, v in _CONTAINER.items()},
        "notes": "note.container_pk",
        "files": "container_file.container_pk",
        "permissions": "container_permission.container_pk",
        "description": "analysis.description",
        "user": "analysis.user_pk",
        "timestamp": "analysis.timestamp",
        "version": "analysis.version",
        "job": "analysis.job_pk",
    },
    "Collection": {
        **{k: f"collection.{v}" for k, v in _CONTAINER.items()},
        "notes": "note.container_pk",
        "files": "container_file.container_pk",
        "analyses": "analysis.container_pk",
        "permissions": "container_permission.container_pk",
        "curator": "collection.curator_pk",
    },
    "Note": {
        "_id": "note.pk",
        "created": "note.created",
        "modified": "note.updated",
        "user": "note.user_pk",
        "text": "note.text",
    },
    "File": {
        "name": "container_file.name",
        "created": "container_file.created",
        "modified": "container_file.updated",
        "type": "container_file.type",
        "size": "container_file.size",
        "hash": "container_file.hash",
        "modality": "container_file.modality",
        "measurements": "container_file.measurements",
        "origin": "container_file.origin_type",
        "tags": "container_file.tags",
        "info": "container_file.info",
    },
    "File Origin": {
        "type": "container_file.origin_type",
        "id": "container_file.origin_id",
        "name": "container_file.origin_name",
        "method": "container_file.origin_method",
    },
    "Device": {
        "_id": "device.pk",
        "label": "device.label",
        "model": "device.model",
        "location": "device.location",
    },
}


def _classes() -> dict[str, type]:
    configure_mappers()
    return {m.class_.__name__: m.class_ for m in Base.registry.mappers}


@pytest.mark.parametrize(
    ("seed_name", "class_name"),
    sorted(
        {**CYTOMINE_ENTITIES, **{f"scitran:{k}": v for k, v in SCITRAN_ENTITIES.items()}}.items()
    ),
)
def test_seed_entity_is_mapped(seed_name: str, class_name: str) -> None:
    classes = _classes()
    assert class_name in classes, f"{seed_name} -> {class_name} is not mapped"
    table = classes[class_name].__table__  # type: ignore[attr-defined]
    assert table.name in Base.metadata.tables
    assert class_name in model.__all__, f"{class_name} not re-exported by desktop_app.model"


@pytest.mark.parametrize(
    ("entity", "field", "target"),
    [(e, f, t) for e, fields in SCITRAN_FIELDS.items() for f, t in fields.items()],
)
def test_scitran_field_has_a_column(entity: str, field: str, target: str) -> None:
    table, column = target.split(".")
    assert table in Base.metadata.tables, f"{entity}.{field}: no table {table}"
    assert column in Base.metadata.tables[table].c, f"{entity}.{field}: no column {target}"


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
        "container_permission", "collection_acquisition",
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
