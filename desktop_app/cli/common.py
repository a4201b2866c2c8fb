"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desktop_app.config import Settings, load_settings

if TYPE_CHECKING:
    from desktop_app.store.uow import Store


class CliError(Exception):
    """An expected failure: printed as one line on stderr, exit code ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "data_dir", None))


def open_store(settings: Settings) -> Store:
    """The local cache, opened (and upgraded) once per command.

    Imported lazily: SQLAlchemy and the schema cost ~0.3 s that commands such as
    ``open --screenshot`` on a plain file never need.
    """
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.store.engine import CacheError, SchemaTooNewError, open_cache
    from desktop_app.store.uow import Store

    try:
        return Store(open_cache(settings.cache_path))
    except (CacheError, SchemaTooNewError) as exc:
        raise CliError(str(exc)) from exc
