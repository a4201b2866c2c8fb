"""Revision 0001_initial, frozen: Ontologies, terms and term relations.

Part of the initial revision (``versions/0001_initial.py`` calls these in foreign-key
order); never edit once released -- later schema changes are new revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def relation() -> None:
    op.create_table(
        "relation",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("server_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_relation")),
        sa.UniqueConstraint("name", name=op.f("uq_relation_name")),
        sa.UniqueConstraint("server_id", name=op.f("uq_relation_server_id")),
        sqlite_autoincrement=True,
    )


def ontology() -> None:
    op.create_table(
        "ontology",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("user_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_ontology_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"],
            ["sec_user.pk"],
            name=op.f("fk_ontology_user_pk_sec_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_ontology")),
        sa.UniqueConstraint("name", name=op.f("uq_ontology_name")),
        sa.UniqueConstraint("server_id", name=op.f("uq_ontology_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_ontology_uid")),
        sqlite_autoincrement=True,
    )


def term() -> None:
    op.create_table(
        "term",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("color", sa.String(length=16), nullable=False),
        sa.Column(
            "ontology_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_term_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["ontology_pk"],
            ["ontology.pk"],
            name=op.f("fk_term_ontology_pk_ontology"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_term")),
        sa.UniqueConstraint("ontology_pk", "name", name=op.f("uq_term_ontology_pk")),
        sa.UniqueConstraint("server_id", name=op.f("uq_term_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_term_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_term_ontology_pk"), "term", ["ontology_pk"], unique=False)


def relation_term() -> None:
    op.create_table(
        "relation_term",
        sa.Column(
            "relation_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("term1_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("term2_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("server_id", sa.BigInteger(), nullable=True),
        sa.Column("server_updated", sa.BigInteger(), nullable=True),
        sa.Column("base_json", sa.Text(), nullable=True),
        sa.Column("dirty_fields", sa.JSON(), nullable=False),
        sa.Column("local_deleted", sa.Boolean(), nullable=False),
        sa.Column("sync_state", sa.String(length=8), nullable=False),
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('synced', 'pending', 'conflict', 'orphaned', 'local')",
            name=op.f("ck_relation_term_syncstate"),
        ),
        sa.ForeignKeyConstraint(
            ["relation_pk"],
            ["relation.pk"],
            name=op.f("fk_relation_term_relation_pk_relation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term1_pk"],
            ["term.pk"],
            name=op.f("fk_relation_term_term1_pk_term"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term2_pk"],
            ["term.pk"],
            name=op.f("fk_relation_term_term2_pk_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_relation_term")),
        sa.UniqueConstraint(
            "relation_pk", "term1_pk", "term2_pk", name=op.f("uq_relation_term_relation_pk")
        ),
        sa.UniqueConstraint("server_id", name=op.f("uq_relation_term_server_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_relation_term_uid")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_relation_term_term1_pk"), "relation_term", ["term1_pk"], unique=False)
    op.create_index(op.f("ix_relation_term_term2_pk"), "relation_term", ["term2_pk"], unique=False)
