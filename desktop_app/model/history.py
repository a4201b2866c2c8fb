"""Server-side history: Cytomine commands (undo/redo), tasks and the version row.

These mirror Cytomine's ``command``/``command_history`` tables.  The desktop's own
undo stack is ``command_log``/``undo_entry`` (model/sync.py); the cache only keeps
``command_history`` rows pulled from a stock Cytomine, whose command history is the
fallback change feed there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.model.base import Base, IdType, SyncedMixin


class Command(SyncedMixin, Base):
    """One executed server command (add/edit/delete of a domain) with its undo data."""

    __tablename__ = "command"

    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None, index=True
    )
    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None, index=True
    )
    #: e.g. "be.cytomine.AddUserAnnotationCommand"
    command_class: Mapped[str | None] = mapped_column(String(255), default=None)
    action_message: Mapped[str | None] = mapped_column(Text, default=None)
    #: The domain JSON before/after, as Cytomine's ``data`` column.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    service_name: Mapped[str | None] = mapped_column(String(255), default=None)
    save_on_undo_redo_stack: Mapped[bool] = mapped_column(Boolean, default=True)
    refuse_undo: Mapped[bool] = mapped_column(Boolean, default=False)


class CommandHistory(SyncedMixin, Base):
    """A command as shown in a project's activity ("prefix_action" = ADD/EDIT/DELETE/UNDO...)."""

    __tablename__ = "command_history"
    __table_args__ = (Index("ix_command_history_project_created", "project_pk", "created"),)

    command_pk: Mapped[int] = mapped_column(
        IdType, ForeignKey("command.pk", ondelete="CASCADE"), index=True
    )
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None
    )
    prefix_action: Mapped[str] = mapped_column(String(32), default="")
    message: Mapped[str | None] = mapped_column(Text, default=None)


class Task(SyncedMixin, Base):
    """A long server-side operation whose progress clients poll."""

    __tablename__ = "task"

    progress: Mapped[int] = mapped_column(Integer, default=0)
    project_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("project.pk", ondelete="CASCADE"), default=None
    )
    user_pk: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("sec_user.pk", ondelete="SET NULL"), default=None
    )
    #: Cytomine keeps one comment per step.
    comments: Mapped[list[str]] = mapped_column(JSON, default=list)
    print_in_activity: Mapped[bool] = mapped_column(Boolean, default=False)


class Version(Base):
    """Deployed server versions; exactly one ``is_current``.  Server bookkeeping, not synced."""

    __tablename__ = "version"

    pk: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    #: Cytomine's legacy integer build number (e.g. 20240101).
    number: Mapped[int | None] = mapped_column(Integer, default=None)
    major: Mapped[int] = mapped_column(Integer, default=0)
    minor: Mapped[int] = mapped_column(Integer, default=0)
    patch: Mapped[int] = mapped_column(Integer, default=0)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
