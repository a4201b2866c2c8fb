"""The server secret: seals stored keys and keys the hash of subject names.

Why a secret outside the database: HMAC authentication needs each user's private key
back in clear, so it cannot be hashed; sealed (Fernet: AES-CBC + HMAC-SHA256) with a
key that lives in a file or the environment, a database dump alone gives nothing
away.  The same secret keys the hash of subject names, so a hash of "jane" is not
recognisable without it.

Where it comes from, first match wins:

* ``WORKSTATION_SERVER_SECRET`` (environment): at least 32 characters, used as is;
* the file ``settings.secret_file`` (default ``<data-dir>/server-secret.key``),
  created at first start with 32 random bytes and mode 0600.

Losing the secret loses every stored key (users then need new ones); back it up
apart from the database dumps.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.orm import Session, object_session

from desktop_app.model.scitran import Subject

SECRET_ENV = "WORKSTATION_SERVER_SECRET"
SECRET_FILE_NAME = "server-secret.key"
#: Prefix of a sealed value in a column; anything without it is a legacy plaintext.
SEALED_PREFIX = "enc1:"
_MIN_ENV_LEN = 32


#: ``Session.info`` key under which the server's sessions carry the secret.
SESSION_KEY = "server_secret"


class SecretError(Exception):
    """The secret cannot be read or a stored value cannot be opened with it."""


def _derive(master: bytes, purpose: bytes) -> bytes:
    return hmac.new(master, purpose, hashlib.sha256).digest()


class ServerSecret:
    """Seal/open stored keys and hash names with keys derived from one master secret."""

    def __init__(self, master: bytes) -> None:
        if len(master) < 16:
            raise SecretError("the server secret is too short")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(master, b"sealed-keys/v1")))
        self._name_key = _derive(master, b"subject-names/v1")

    def __repr__(self) -> str:  # never show the secret
        return "ServerSecret(...)"

    @classmethod
    def load(cls, secret_file: Path | None) -> ServerSecret:
        """From the environment, else from ``secret_file`` (created 0600 if missing)."""
        env = os.environ.get(SECRET_ENV)
        if env:
            if len(env) < _MIN_ENV_LEN:
                raise SecretError(f"{SECRET_ENV} must be at least {_MIN_ENV_LEN} characters")
            return cls(env.encode("utf-8"))
        if secret_file is None:
            raise SecretError(f"no server secret: set {SECRET_ENV} or give a secret file")
        return cls(_read_or_create(secret_file))

    def seal(self, plain: str | None) -> str | None:
        """``plain`` encrypted for storage (``None`` stays ``None``)."""
        if plain is None:
            return None
        return SEALED_PREFIX + self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, stored: str | None) -> str | None:
        """The clear value of a stored column; a legacy plaintext is returned as is."""
        if stored is None or not stored.startswith(SEALED_PREFIX):
            return stored
        try:
            return self._fernet.decrypt(stored[len(SEALED_PREFIX) :].encode("ascii")).decode()
        except (InvalidToken, ValueError) as exc:
            raise SecretError("a stored key was sealed with another server secret") from exc

    def name_hash(self, name: str) -> str:
        """Keyed hash of a subject name, matching "Dupont " with "dupont".

        HMAC over the unkeyed sha256 of the normalised name, so hashes stored before
        the secret existed can be converted in place (migration 0006) without the names.
        """
        return self.rekey_name_hash(Subject.hash_name(name))

    def rekey_name_hash(self, unkeyed: str) -> str:
        return hmac.new(self._name_key, unkeyed.encode("ascii"), hashlib.sha256).hexdigest()


def secret_of(db: Session) -> ServerSecret:
    """The secret of the server this session belongs to (``db.session_factory``)."""
    secret = db.info.get(SESSION_KEY)
    if not isinstance(secret, ServerSecret):
        raise RuntimeError("this session was not made by the server (no secret in its info)")
    return secret


def user_keys(user: Any) -> tuple[str | None, str | None]:
    """(public key, private key in clear) of a ``sec_user`` row loaded by the server."""
    db = object_session(user)
    if db is None:
        raise RuntimeError("the user row is detached: cannot open its key")
    return user.public_key, secret_of(db).open(user.private_key)


def _read_or_create(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        raise SecretError(f"cannot read the server secret {path}: {exc}") from exc
    if data:
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_bytes(32)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(fresh)
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # atomic and never overwrites: a racing process's file wins
    except FileExistsError:
        return path.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)
    return fresh
