"""Sync UI: login, Sync now, automatic sync, status indicator and the sync-issues dock."""

from desktop_app.ui.sync.controller import SyncUi, credentials_engine_factory, install_sync_ui

__all__ = ["SyncUi", "credentials_engine_factory", "install_sync_ui"]
