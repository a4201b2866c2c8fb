"""Where the server keys live: URL + public key in a small JSON file, private key in keyring.

The private key never touches the data directory, a log or an exception message: it
goes to the OS keyring (service ``slide-workstation``).  The keyring entry is named by
the server URL AND the data dir (``<url> <resolved data dir>``): one OS account may use
several data dirs against one server (two people, two roles), and a login in one must
never replace the key another is using.  An entry from older versions, named by the URL
alone, is still read (and copied to the data dir's own entry) so nobody has to log in
again.  With no usable keyring backend at all, login refuses and says how to configure
one, instead of silently writing the secret somewhere readable.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from keyring.backends import fail
from keyring.util import platform_

SERVICE = "slide-workstation"
CONFIG_NAME = "server.json"
NO_KEYRING = (
    "no keyring backend is available to store the private key; install a Secret Service "
    "(e.g. gnome-keyring), or on a headless machine install the file keyring "
    "(`bash scripts/setup.sh server`, or `pip install keyrings.alt`) and set "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring (the key is then stored "
    "unencrypted in your home directory)"
)
BACKEND_ENV = "PYTHON_KEYRING_BACKEND"


class CredentialError(Exception):
    """Credentials cannot be stored or found; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class Credentials:
    server_url: str
    public_key: str
    private_key: str

    def __repr__(self) -> str:  # never print the private key
        return f"Credentials({self.server_url!r}, public_key={self.public_key!r})"


def _config(data_dir: Path) -> Path:
    return data_dir / CONFIG_NAME


def keyring_user(server_url: str, data_dir: Path) -> str:
    """The keyring username of one data dir's key for one server."""
    return f"{server_url} {Path(data_dir).expanduser().resolve()}"


def keyring_usable() -> bool:
    """A real keyring, or a file keyring the user chose explicitly: keyrings.alt, once
    installed, would otherwise be picked silently and keep the key unencrypted."""
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    explicit = bool(os.environ.get(BACKEND_ENV)) or _keyringrc_exists()
    return explicit or not type(backend).__module__.startswith("keyrings.alt")


def _keyringrc_exists() -> bool:
    """keyring's own configuration file (``keyringrc.cfg``) also names a backend."""
    return (Path(platform_.config_root()) / "keyringrc.cfg").is_file()


def save(data_dir: Path, creds: Credentials, user: dict[str, object]) -> None:
    if not keyring_usable():
        raise CredentialError(NO_KEYRING)
    try:
        keyring.set_password(SERVICE, keyring_user(creds.server_url, data_dir), creds.private_key)
    except keyring.errors.KeyringError as exc:
        raise CredentialError(
            f"cannot store the key in the keyring: {type(exc).__name__}"
        ) from None
    data_dir.mkdir(parents=True, exist_ok=True)
    info = {
        "server_url": creds.server_url,
        "public_key": creds.public_key,
        "user_id": user.get("id"),
        "username": user.get("username"),
    }
    _config(data_dir).write_text(json.dumps(info, indent=2))


def load(data_dir: Path) -> Credentials:
    path = _config(data_dir)
    if not path.exists():
        raise CredentialError("not logged in: run 'workstation login --server URL ...' first")
    try:
        info = json.loads(path.read_text())
        url, public = str(info["server_url"]), str(info["public_key"])
    except (ValueError, KeyError, TypeError):
        raise CredentialError(f"{path} is damaged: log in again") from None
    if not keyring_usable():
        raise CredentialError(NO_KEYRING)
    secret = keyring.get_password(SERVICE, keyring_user(url, data_dir))
    if not secret:
        secret = _migrate_legacy(url, data_dir)
    if not secret:
        raise CredentialError("the private key is not in the keyring: log in again")
    return Credentials(url, public, secret)


def _migrate_legacy(url: str, data_dir: Path) -> str | None:
    """An entry of an older version (named by the URL alone), copied to this data dir's
    own name.  The old entry stays: another data dir may still be reading it."""
    secret = keyring.get_password(SERVICE, url)
    if secret:
        # On failure the key is still usable this time; the copy is retried next load.
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.set_password(SERVICE, keyring_user(url, data_dir), secret)
    return secret


def forget(data_dir: Path) -> bool:
    """Remove the key from the keyring and the config; True if something was removed."""
    path = _config(data_dir)
    removed = False
    if path.exists():
        try:
            url = str(json.loads(path.read_text()).get("server_url"))
            if keyring_usable():
                keyring.delete_password(SERVICE, keyring_user(url, data_dir))
                removed = True
        except (ValueError, keyring.errors.PasswordDeleteError):
            pass
        path.unlink()
        removed = True
    return removed
