"""Generic attachments: Property, Description, AttachedFile, Metadata, Tag.

They hang on any domain through ``domain_class_name`` + ``domain_pk`` (Cytomine's
``domainClassName`` + ``domainIdent``) instead of one FK column per target table,
because Cytomine lets them target projects, images, annotations and more, and the
wire format names the target that way.  The price is that the database cannot cascade
deletes; the service deleting a domain row deletes its attachments.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.model.base import Base, DomainRefMixin, IdType, SyncedMixin


class Property(DomainRefMixin, SyncedMixin, Base):
    """A key/value pair on a domain (several values per key are allowed by Cytomine)."""

    __tablename__ = "property"

    key: Mapped[str] = mapped_column(String(255), index=True)
    value: Mapped[str | None] = mapped_column(Text, default=None)


class Description(DomainRefMixin, SyncedMixin, Base):
    """Rich-text (HTML) description; at most one per domain."""

    __tablename__ = "description"
    __table_args__ = (UniqueConstraint("domain_class_name", "domain_pk"),)

    data: Mapped[str] = mapped_column(Text, default="")


class AttachedFile(DomainRefMixin, SyncedMixin, Base):
    """A supplementary file (PDF, ...) on a domain.

    ``path`` is where the bytes live on disk (server storage or the cache's file
    store); ``data`` holds small files inline when no file store is wanted.
    """

    __tablename__ = "attached_file"

    filename: Mapped[str] = mapped_column(Text)
    key: Mapped[str | None] = mapped_column(String(255), default=None)
    path: Mapped[str | None] = mapped_column(Text, default=None)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    size: Mapped[int | None] = mapped_column(default=None)
    content_type: Mapped[str | None] = mapped_column(String(255), default=None)


class ImageMetadata(DomainRefMixin, SyncedMixin, Base):
    """Cytomine "Metadata": key/value/type read from an image file (scanner, objective...)."""

    __tablename__ = "image_metadata"

    key: Mapped[str] = mapped_column(String(255), index=True)
    value: Mapped[str | None] = mapped_column(Text, default=None)
    #: Cytomine's value type name (STRING, INTEGER, DOUBLE, BOOLEAN, ...).
    type: Mapped[str | None] = mapped_column(String(32), default=None)


class Tag(SyncedMixin, Base):
    """A free tag users can put on domains (Cytomine 3.x+)."""

    __tablename__ = "tag"

    name: Mapped[str] = mapped_column(String(255), unique=True)
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )


class TagDomainAssociation(DomainRefMixin, SyncedMixin, Base):
    """A tag put on one domain."""

    __tablename__ = "tag_domain_association"
    __table_args__ = (UniqueConstraint("tag_pk", "domain_class_name", "domain_pk"),)

    tag_pk: Mapped[int] = mapped_column(IdType, ForeignKey("tag.pk", ondelete="CASCADE"))
