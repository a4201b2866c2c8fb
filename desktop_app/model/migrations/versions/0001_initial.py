"""initial schema: Cytomine + SciTran + sync tables

Revision ID: 0001_initial
Revises:
Hand edits after ``alembic revision --autogenerate`` (keep them in later revisions):

* model types are spelled as plain SQL types (``UtcDateTime`` -> ``sa.DateTime(timezone=True)``,
  ``IntEnumType`` -> ``sa.Integer()``) so this file never imports application code that
  may change after it is written;
* every enumeration column is ``sa.String(n)`` plus an explicit, named
  ``CHECK (col IN (...))`` (``ck_<table>_<enum>``), the exact DDL ``create_all`` emits,
  instead of ``sa.Enum`` whose constraint name depends on the live naming convention;
* SQLite batch blocks around ``create_index`` are plain ``op.create_index`` calls.

Create Date: 2026-11-25 11:02:31.358602
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from desktop_app.model.migrations.schema_0001 import (
    activity,
    annotation,
    attachment,
    history,
    image,
    image_group,
    ontology,
    project,
    scitran_access,
    scitran_containers,
    security,
    software,
    storage,
    sync,
)

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: Every table's DDL (with its indexes), in foreign-key order; the DDL itself is in
#: ``schema_0001``, one module per part of the model.
TABLES = (
    sync.acked_log,
    attachment.attached_file,
    sync.change_feed,
    sync.command_log,
    attachment.description,
    scitran_access.device,
    project.discipline,
    sync.idempotency_key,
    attachment.image_metadata,
    attachment.property,
    ontology.relation,
    scitran_access.scitran_group,
    security.sec_role,
    security.sec_user,
    software.software,
    sync.sync_conflict,
    sync.undo_entry,
    sync.upload_queue,
    history.version,
    security.acl_entry,
    scitran_containers.collection,
    scitran_access.container_permission,
    scitran_access.group_permission,
    scitran_access.note,
    ontology.ontology,
    security.sec_user_sec_role,
    software.software_parameter,
    storage.image_server,
    storage.storage,
    attachment.tag,
    project.project,
    attachment.tag_domain_association,
    ontology.term,
    storage.uploaded_file,
    image.abstract_image,
    history.command,
    image_group.image_group,
    software.job,
    software.job_template,
    activity.project_connection,
    project.project_member,
    ontology.relation_term,
    software.software_project,
    scitran_containers.subject,
    sync.sync_cursor,
    history.task,
    image.abstract_slice,
    scitran_containers.analysis,
    history.command_history,
    storage.companion_file,
    scitran_access.container_file,
    image.image_instance,
    software.job_data,
    software.job_parameter,
    scitran_containers.session,
    security.user_job,
    scitran_containers.acquisition,
    activity.image_consultation,
    image_group.image_group_image_instance,
    image_group.image_sequence,
    image.slice_instance,
    annotation.annotation,
    scitran_containers.collection_acquisition,
    activity.last_user_position,
    activity.user_position,
    annotation.algo_annotation_term,
    annotation.annotation_term,
    annotation.reviewed_annotation_term,
)


def upgrade() -> None:
    for create in TABLES:
        create()


def downgrade() -> None:
    """Drop in reverse order (a table's indexes go with it)."""
    for create in reversed(TABLES):
        op.drop_table(create.__name__)
