"""Typed, frozen settings resolved once at start-up (no Qt, no globals)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "slide-workstation"
DATA_DIR_ENV = "WORKSTATION_DATA_DIR"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the workstation keeps its cache, slides and tile caches."""

    data_dir: Path
    tile_cache_bytes: int = 512 * 1024 * 1024

    @property
    def cache_path(self) -> Path:
        """The local SQLite cache (WAL mode)."""
        return self.data_dir / "cache.sqlite"

    @property
    def slides_dir(self) -> Path:
        return self.data_dir / "slides"

    @property
    def tiles_dir(self) -> Path:
        """Tiles of server slides (streamed, or downloaded for offline work)."""
        return self.data_dir / "tiles"


def resolve_data_dir(cli_value: str | None) -> Path:
    """``--data-dir`` wins, then ``$WORKSTATION_DATA_DIR``, then the platform's user data dir."""
    raw = cli_value or os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir(APP_NAME)
    return Path(raw).expanduser().resolve()


def load_settings(cli_data_dir: str | None = None) -> Settings:
    data_dir = resolve_data_dir(cli_data_dir)
    cache_mb = os.environ.get("WORKSTATION_TILE_CACHE_MB")
    if cache_mb:
        return Settings(data_dir=data_dir, tile_cache_bytes=int(cache_mb) * 1024 * 1024)
    return Settings(data_dir=data_dir)
