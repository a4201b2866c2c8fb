"""Who is logged in for a data dir, from the login's config file (never the key)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desktop_app.sync.transport.credentials import CONFIG_NAME


@dataclass(frozen=True, slots=True)
class LoginInfo:
    server_url: str
    user_id: int | None
    username: str | None


def login_info(data_dir: Path) -> LoginInfo | None:
    """The server and user recorded by ``workstation login``, or None when logged out."""
    try:
        info = json.loads((Path(data_dir) / CONFIG_NAME).read_text())
        user_id = info.get("user_id")
        return LoginInfo(
            str(info["server_url"]),
            int(user_id) if user_id is not None else None,
            info.get("username"),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
