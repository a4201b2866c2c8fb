"""The base of every Cytomine request body model (``protocol/cytomine/*.py``).

Cytomine clients send an object back whole on PUT (its ``id``, ``created``, computed
fields...), so unknown fields are ignored here, and the server reports them in the
answer's ``ignored`` list rather than refusing the request.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict

from desktop_app.protocol.cytomine.fields import OptId


class CytomineBody(BaseModel):
    """A Cytomine request body: field names are the JSON names."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    @classmethod
    def wire_names(cls) -> frozenset[str]:
        """The JSON names this body reads: each field's alias (or name) and synonyms."""
        names = set()
        for name, f in cls.model_fields.items():
            names.add(f.alias or name)
            choices = f.validation_alias
            if isinstance(choices, AliasChoices):
                names.update(c for c in choices.choices if isinstance(c, str))
        return frozenset(names)

    def sent(self, name: str) -> bool:
        """Whether the request carried field ``name`` (absent and ``null`` differ on PUT)."""
        return name in self.model_fields_set


class EditBase(CytomineBody):
    """The version an edit is based on (epoch ms; body ``baseUpdated`` or the
    ``If-Unmodified-Since-Ms`` header): the server refuses a stale edit with 409."""

    baseUpdated: OptId = None


def unknown_fields(model: type[CytomineBody], raw: dict[str, Any]) -> list[str]:
    """The fields of ``raw`` that ``model`` does not read, sorted."""
    names = model.wire_names()
    return sorted(k for k in raw if k not in names)


__all__ = ["CytomineBody", "EditBase", "unknown_fields"]
