"""Adapter conftest: scitran/core's integration-test fixtures, pointed at our server.

This file is ours, not SciTran's (their original is kept beside it as
``conftest_scitran_original.py.txt``).  It keeps every fixture name and behaviour the
vendored tests use; only what the brief allows is adapted:

* base URL: ``SCITRAN_SITE_API_URL`` (``http://127.0.0.1:PORT/api``), as theirs;
* auth: the same ``Authorization: scitran-user <key>`` header as theirs; the keys are
  our users' SciTran API keys (``GET /users/self``), read once with the Cytomine HMAC
  keys the outer test passes (``WS_ADMIN_KEYS``/``WS_USER_KEYS`` = ``public:private``),
  because SciTran's bootstrap writes keys straight into MongoDB, which we do not have;
* ``DataBuilder`` creates through the API exactly as theirs and deletes through the
  API (theirs deletes from MongoDB).

Not provided (tests that need them are deselected by the outer test, with reasons):
``as_drone`` (SciTran's engine/reaper identity), ``api_db``/``log_db`` (MongoDB handles).
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import json
import logging
import os
from email.utils import formatdate

import pytest
import requests

SCITRAN_SITE_API_URL = os.environ["SCITRAN_SITE_API_URL"]
_ORIGIN = SCITRAN_SITE_API_URL.rsplit("/api", 1)[0]


class AttrDict(dict):
    """``attrdict.AttrDict`` as the tests use it (attribute access, nested)."""

    def __getattr__(self, name):
        try:
            value = self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc
        return AttrDict(value) if isinstance(value, dict) else value


def _cytomine_get(keys: str, path: str) -> requests.Response:
    """A GET signed the Cytomine way (only to read a user's SciTran key)."""
    public, private = keys.split(":", 1)
    date = formatdate(usegmt=True)
    token = f"GET\n\n\n{date}"
    sig = base64.b64encode(hmac.new(private.encode(), token.encode(), hashlib.sha1).digest())
    headers = {"date": date, "authorization": f"CYTOMINE {public}:{sig.decode()}"}
    return requests.get(_ORIGIN + path, headers=headers, timeout=30)


def _scitran_key(keys: str) -> str:
    r = _cytomine_get(keys, "/api/users/self")
    r.raise_for_status()
    return r.json()["key"]


SCITRAN_ADMIN_API_KEY = _scitran_key(os.environ["WS_ADMIN_KEYS"])
SCITRAN_USER_API_KEY = _scitran_key(os.environ["WS_USER_KEYS"])


class BaseUrlSession(requests.Session):
    """Requests session subclass using core api's base url"""

    def request(self, method, url, **kwargs):
        return super().request(method, SCITRAN_SITE_API_URL + url, **kwargs)


def _keyed_session(key: str) -> BaseUrlSession:
    session = BaseUrlSession()
    session.headers.update({"Authorization": "scitran-user " + key})
    return session


@pytest.fixture(scope="session")
def as_root():
    """Return requests session using admin api key and root=true"""
    session = _keyed_session(SCITRAN_ADMIN_API_KEY)
    session.params.update({"root": "true"})
    return session


@pytest.fixture(scope="session")
def as_admin():
    """Return requests session using admin api key"""
    return _keyed_session(SCITRAN_ADMIN_API_KEY)


@pytest.fixture(scope="session")
def as_user():
    """Return requests session using user api key"""
    return _keyed_session(SCITRAN_USER_API_KEY)


@pytest.fixture(scope="function")
def as_public():
    """Return requests session without authentication"""
    return BaseUrlSession()


@pytest.fixture(scope="function")
def data_builder(as_root, randstr):
    """Yield DataBuilder instance (per test)"""
    data_builder = DataBuilder(as_root, randstr=randstr)
    yield data_builder
    data_builder.teardown()


def _default_payload_value():
    return AttrDict(
        {
            "user": {"firstname": "test", "lastname": "user"},
            "group": {},
            "project": {"public": True},
            "session": {"public": True},
            "acquisition": {"public": True},
            "collection": {},
            "gear": {},
            "job": {"inputs": {}},
        }
    )


@pytest.fixture(scope="function")
def default_payload():
    """Return default test resource creation payloads"""
    return _default_payload_value()


@pytest.fixture(scope="function")
def randstr(request):
    def randstr():
        """Return random string prefixed with test module and function name"""

        def clean(test_name):
            return test_name.lower().replace("test_", "").rstrip("_").replace("_", "-")

        module = clean(request.module.__name__)
        function = clean(request.function.__name__)
        prefix = module + "-" + function
        return prefix[:21] + "-" + binascii.hexlify(os.urandom(5)).decode()

    return randstr


@pytest.fixture(scope="session")
def file_form():
    def file_form(*files, **kwargs):
        """Return multipart/form-data for file upload requests"""
        data = {}
        for i, file_ in enumerate(files):
            if isinstance(file_, str):
                file_ = (file_, "test\ndata\n")
            data["file" + str(i + 1)] = file_
        if len(files) == 1:
            data["file"] = data.pop("file1")
        meta = kwargs.pop("meta", None)
        if meta:
            data["metadata"] = ("", json.dumps(meta))
        return data

    return file_form


def _merge_dict(a, b):
    """Merge two dicts into the first recursively"""
    for key, value in b.items():
        if key in a and isinstance(a[key], dict) and isinstance(b[key], dict):
            _merge_dict(a[key], b[key])
        else:
            a[key] = b[key]


@pytest.fixture(scope="session")
def merge_dict():
    return _merge_dict


@pytest.fixture(scope="module")
def log(request):
    """Return logger for the test module for easy logging from tests"""
    log = logging.getLogger(request.module.__name__)
    log.addHandler(logging.StreamHandler())
    return log


@pytest.fixture(scope="function")
def with_user(data_builder, randstr, as_public):
    """Return AttrDict with new user, api-key and api-accessor"""
    user = data_builder.create_user(root=False)
    api_key = data_builder.api_keys[user]
    session = copy.deepcopy(as_public)
    session.headers.update({"Authorization": "scitran-user " + api_key})
    return AttrDict(user=user, api_key=api_key, session=session)


class DataBuilder:
    child_to_parent = {
        "project": "group",
        "session": "project",
        "acquisition": "session",
    }
    parent_to_child = {parent: child for child, parent in child_to_parent.items()}

    def __init__(self, session, randstr=lambda: binascii.hexlify(os.urandom(10)).decode()):
        self.session = session
        self.randstr = randstr
        self.resources = []
        #: user _id -> that user's SciTran key (SciTran injects keys; we read them)
        self.api_keys = {}

    def __getattr__(self, name):
        """Return resource specific create_* or delete_* method"""
        if name.startswith("create_") or name.startswith("delete_"):
            method, resource = name.split("_", 1)
            if resource not in _default_payload_value():
                raise Exception(f"Unknown resource type {resource} (from {name})")

            def resource_method(*args, **kwargs):
                return getattr(self, method)(resource, *args, **kwargs)

            return resource_method
        raise AttributeError(name)

    def create(self, resource, **kwargs):
        """Create resource in api and return it's _id"""
        payload = copy.deepcopy(dict(_default_payload_value()[resource]))
        _merge_dict(payload, kwargs)
        if resource == "user" and "_id" not in payload:
            payload["_id"] = self.randstr() + "@user.com"
        if resource == "group" and "_id" not in payload:
            payload["_id"] = self.randstr()
        if resource == "collection" and "label" not in payload:
            payload["label"] = self.randstr()
        if resource in self.child_to_parent and "label" not in payload:
            payload["label"] = self.randstr()
        if resource in self.child_to_parent:
            parent = self.child_to_parent[resource]
            if parent not in payload:
                payload[parent] = self.get_or_create(parent)
        if resource == "user":
            payload.pop("api_key", None)
            payload.pop("root", None)
        r = self.session.post("/" + resource + "s", json=payload)
        if not r.ok:
            raise Exception(
                f"DataBuilder failed to create {resource}: {r.status_code} {r.text}\n"
                f"Payload was:\n{payload}"
            )
        _id = r.json()["_id"]
        if resource == "user":
            self.api_keys[_id] = self._read_user_key(_id)
        self.resources.append((resource, _id))
        return _id

    def _read_user_key(self, user_id):
        """The new user's SciTran key, read as that user (admins see their HMAC keys)."""
        r = _cytomine_get(os.environ["WS_ADMIN_KEYS"], f"/api/user/{user_id}/keys.json")
        r.raise_for_status()
        keys = r.json()
        return _scitran_key(keys["publicKey"] + ":" + keys["privateKey"])

    def get_or_create(self, resource):
        """Return first _id from self.resources for type `resource` (Create if not found)"""
        for resource_, _id in self.resources:
            if resource == resource_:
                return _id
        return self.create(resource)

    def teardown(self):
        """Delete resources created with this DataBuilder from self.resources"""
        for resource, _id in reversed(self.resources):
            self.delete(resource, _id)

    def delete(self, resource, _id, recursive=False):
        """Delete resource through the API (theirs deletes from MongoDB)."""
        if resource == "user":
            return
        if recursive and resource in self.parent_to_child:
            child = self.parent_to_child[resource]
            for doc in self.session.get("/" + child + "s").json():
                if doc.get(resource) == _id:
                    self.delete(child, doc["_id"], recursive=recursive)
        self.session.delete("/" + resource + "s/" + _id)
