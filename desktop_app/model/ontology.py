"""Ontologies: terms and the relations between them (Cytomine ``ontology`` package).

The term tree is stored the Cytomine way, as ``relation_term`` rows (term1 = parent,
term2 = child) under the "parent" relation, rather than as a ``parent_pk`` column:
that is what the server emits and accepts, so sync never has to translate.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, and_, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from desktop_app.model.base import Base, IdType, SyncedMixin

#: Cytomine's built-in relation names (``RelationTerm.PARENT`` / ``SYNONYM``).
PARENT_RELATION = "parent"
SYNONYM_RELATION = "synonyme"


class Ontology(SyncedMixin, Base):
    """A named, editable list of terms; shared by any number of projects."""

    __tablename__ = "ontology"

    name: Mapped[str] = mapped_column(String(255), unique=True)
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )

    terms: Mapped[list[Term]] = relationship(
        back_populates="ontology", lazy="selectin", cascade="all, delete-orphan"
    )


class Relation(Base):
    """A relation kind; only "parent" is used in practice.  Seeded, never client-edited."""

    __tablename__ = "relation"

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    server_id: Mapped[int | None] = mapped_column(IdType, unique=True, default=None)


class RelationTerm(SyncedMixin, Base):
    """``term1`` is the parent and ``term2`` the child (for the "parent" relation)."""

    __tablename__ = "relation_term"
    __table_args__ = (UniqueConstraint("relation_pk", "term1_pk", "term2_pk"),)

    relation_pk: Mapped[int] = mapped_column(IdType, ForeignKey("relation.pk", ondelete="CASCADE"))
    term1_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("term.pk", ondelete="CASCADE"), index=True
    )
    term2_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("term.pk", ondelete="CASCADE"), index=True
    )


class Term(SyncedMixin, Base):
    """A label of an ontology; names are unique within their ontology."""

    __tablename__ = "term"
    __table_args__ = (UniqueConstraint("ontology_pk", "name"),)

    name: Mapped[str] = mapped_column(String(255))
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    #: "#RRGGBB"
    color: Mapped[str] = mapped_column(String(16), default="#FF0000")
    ontology_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("ontology.pk", ondelete="CASCADE"), index=True
    )

    ontology: Mapped[Ontology] = relationship(back_populates="terms", lazy="raise_on_sql")
    #: Children through relation_term (any relation; only "parent" exists in practice).
    children: Mapped[list[Term]] = relationship(
        secondary="relation_term",
        primaryjoin="Term.pk == RelationTerm.term1_pk",
        secondaryjoin="Term.pk == RelationTerm.term2_pk",
        lazy="raise_on_sql",
        viewonly=True,
    )
    parents: Mapped[list[Term]] = relationship(
        secondary="relation_term",
        primaryjoin="Term.pk == RelationTerm.term2_pk",
        secondaryjoin="Term.pk == RelationTerm.term1_pk",
        lazy="raise_on_sql",
        viewonly=True,
    )


#: The parent term's pk (Cytomine emits it as ``parent``), loaded with the term.
Term.parent_pk = column_property(
    select(RelationTerm.term1_pk)
    .join(Relation, Relation.pk == RelationTerm.relation_pk)
    .where(and_(RelationTerm.term2_pk == Term.pk, Relation.name == PARENT_RELATION))
    .correlate_except(RelationTerm, Relation)
    .limit(1)
    .scalar_subquery(),
    deferred=True,
)
