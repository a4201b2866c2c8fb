"""``desktop_app.sync`` loads its public names on first use (PEP 562): each name of
``__all__`` must resolve to the object its submodule defines, and the lazy table must
name exactly ``__all__``, so the two lists cannot drift apart unnoticed."""

from __future__ import annotations

import importlib

import pytest

import desktop_app.sync as sync


def test_every_public_name_resolves_to_its_submodule_object() -> None:
    assert set(sync._WHERE) == set(sync.__all__)
    for name in sync.__all__:
        module = importlib.import_module(sync._WHERE[name])
        assert getattr(sync, name) is getattr(module, name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchName"):
        sync.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
