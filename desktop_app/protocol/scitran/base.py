"""The base of every SciTran request body model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SciTranBody(BaseModel):
    """A SciTran request body: field names are the JSON names (``_id`` by alias).

    Unknown fields are ignored here: which ones a write may carry is checked before
    (``server/scitran_fields.py``, SciTran's 400), and allowed ones our model does not
    keep are reported in the answer's ``ignored``.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    def sent(self, name: str) -> bool:
        """Whether the body carried ``name`` (SciTran's PUT changes only what is sent)."""
        return name in self.model_fields_set
