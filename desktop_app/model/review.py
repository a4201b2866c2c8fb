"""Review as a study: per-reader decisions and the project's reason codes (issue 13).

Cytomine keeps one reviewed copy per annotation (``ReviewedAnnotation``): the project's
*final* decision, which is all a stock Cytomine client sees.  A validation study needs
every reader's own decision kept side by side, so each reader's decision is a
:class:`ReviewDecision` row keyed (annotation, reviewer, role): none overwrites another,
and agreement statistics and the adjudication queue read them.  An adjudicator's final
call is stored the same way with ``role = 'adjudicator'`` (it carries the reason and
comment that a reviewed copy has no field for) next to the reviewed copy it writes.

Reason codes are per project (``Project.review_reasons``, a JSON list of
``{"code", "label"}``); ``None`` means the defaults of :data:`DEFAULT_REASONS`.  A
decision stores the *code*, a stable slug, so renaming a label never rewrites decisions
and no id needs translating when a decision travels between cache and server.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.model.base import Base, IdType, SyncedMixin, enum_column, utcnow

#: Reason codes a project starts with (code, label), in the order the reject dialog numbers them.
DEFAULT_REASONS: tuple[tuple[str, str], ...] = (
    ("wrong_class", "wrong class"),
    ("boundary", "boundary inaccurate"),
    ("artefact", "not tissue / artefact"),
    ("duplicate", "duplicate"),
    ("out_of_focus", "out of focus"),
    ("other", "other"),
)


class Verdict(enum.StrEnum):
    """What a reader decided on one annotation."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DecisionRole(enum.StrEnum):
    """A reader's own decision, or an adjudicator's final call on a disagreement."""

    READER = "reader"
    ADJUDICATOR = "adjudicator"


class ReviewDecision(SyncedMixin, Base):
    """One reviewer's decision on one annotation (a documented sync extension).

    The live row of (annotation, reviewer, role) is unique; an undone decision is kept
    soft-deleted (``local_deleted`` in the cache, ``deleted`` on the server) so its
    delete can still be sent, which is why uniqueness is enforced by the writers
    (``desktop_app.store.decisions`` and the server route) rather than by an index.
    """

    __tablename__ = "review_decision"
    __table_args__ = (
        Index("ix_review_decision_key", "annotation_pk", "reviewer_pk", "role"),
        Index("ix_review_decision_project_image", "project_pk", "image_pk"),
    )

    annotation_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("annotation.pk", ondelete="CASCADE")
    )
    project_pk: Mapped[int] = mapped_column(IdType, ForeignKey("project.pk", ondelete="CASCADE"))
    image_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("image_instance.pk", ondelete="CASCADE")
    )
    reviewer_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="CASCADE"), index=True
    )
    role: Mapped[DecisionRole] = mapped_column(
        enum_column(DecisionRole), default=DecisionRole.READER
    )
    decision: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    #: A code of the project's reason list (``None`` for an accept without reason).
    reason: Mapped[str | None] = mapped_column(String(64), default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    #: The terms this reader assigned (term pks of the database holding the row).
    term_pks: Mapped[list[int]] = mapped_column(JSON, default=list)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["DEFAULT_REASONS", "DecisionRole", "ReviewDecision", "Verdict"]
