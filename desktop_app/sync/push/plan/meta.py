"""Planning the push of what hangs on an annotation: properties, description, files.

They name their target Cytomine's way (``domainClassName`` + ``domainIdent``), so each
waits for its annotation's server id.  Descriptions carry the base version they were
edited against, so a text changed on both sides comes back 409 (sync-design 5.7:
the server wins, mine is kept in the conflict record).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.attachment import AttachedFile, Description, Property
from desktop_app.model.image import ImageInstance
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.store import attached_files as files
from desktop_app.sync.push.units import Unit


def domain_sid(s: Session, cls_name: str, pk: int) -> int | None:
    """Server id of a property/description/file's annotation or image (None: it waits)."""
    if cls_name == files.IMAGE_CLASS:
        image = s.get(ImageInstance, pk)
        return image.server_id if image is not None else None
    if not cls_name.endswith("Annotation"):
        return None
    ann = s.get(Annotation, pk)
    return ann.server_id if ann is not None else None


def plan_property(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    """Net effect of put/delete on one property: create, update (full), delete, or drop."""
    prop = s.get(Property, ops[0].entity_pk)
    unit = Unit("property", ops[0].entity_pk, ops, "noop")
    if prop is None:
        return unit
    if any(op.kind not in (OpKind.PUT_PROPERTY, OpKind.DELETE_PROPERTY) for op in ops):
        unit.action = "unsupported"
        return unit
    alive = not prop.local_deleted
    if prop.server_id is None and not alive and not ambiguous:
        unit.action = "drop"
        return unit
    domain = domain_sid(s, prop.domain_class_name, prop.domain_pk)
    if domain is None:
        return None
    data = {
        "domainClassName": prop.domain_class_name,
        "domainIdent": domain,
        "key": prop.key,
        "value": prop.value,
    }
    if prop.server_id is None:
        unit.action = "prop_create"
        unit.request = {"entity": "property", "action": "create", "uid": prop.uid, "data": data}
    elif alive:
        unit.action = "prop_update"
        unit.request = {"entity": "property", "action": "update", "id": prop.server_id}
        unit.request["data"] = data
    else:
        unit.action = "prop_delete"
        unit.request = {"entity": "property", "action": "delete", "id": prop.server_id}
        unit.request["data"] = data
    return unit


def plan_description(s: Session, ops: list[CommandLog]) -> Unit | None:
    """The description's current text: POST (uid) when new, else PUT against its base."""
    desc = s.get(Description, ops[0].entity_pk)
    unit = Unit("description", ops[0].entity_pk, ops, "noop")
    if desc is None:
        return unit
    domain = domain_sid(s, desc.domain_class_name, desc.domain_pk)
    if domain is None:
        return None
    base = next((op.base_server_updated for op in ops if op.base_server_updated), None)
    unit.action = "describe"
    unit.request = {
        "path": f"/api/domain/{desc.domain_class_name}/{domain}/description.json",
        "exists": desc.server_id is not None,
        # the text these ops meant (a re-sent ambiguous op must not carry a newer edit)
        "data": {"data": ops[-1].payload.get("data", desc.data), "uid": desc.uid},
    }
    if desc.server_id is not None:
        unit.request["data"]["baseUpdated"] = base or desc.server_updated
    return unit


def plan_attachment(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    """Upload a local file (multipart, with the row's uid), or delete one on the server."""
    f = s.get(AttachedFile, ops[0].entity_pk)
    unit = Unit("attached_file", ops[0].entity_pk, ops, "noop")
    if f is None:
        return unit
    if f.server_id is None and f.local_deleted and not ambiguous:
        unit.action = "drop"
        return unit
    if f.server_id is not None and not f.local_deleted:
        return unit  # nothing else about a file is editable
    domain = domain_sid(s, f.domain_class_name, f.domain_pk)
    if f.server_id is not None:
        unit.action = "attach_delete"
        unit.request = {"id": f.server_id}
        return unit
    if domain is None:
        return None
    unit.action = "attach"
    unit.request = {
        "params": {
            "domainIdent": domain,
            "domainClassName": f.domain_class_name,
            "filename": f.filename,
            "key": f.key or "",
            "uid": f.uid,
        },
        "path": str(files.absolute(s, f.path or "")),
        "content_type": f.content_type or "application/octet-stream",
    }
    return unit
