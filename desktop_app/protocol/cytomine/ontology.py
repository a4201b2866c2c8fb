"""Request bodies of ontologies, terms and term relations (cytomine-api.md 3.2)."""

from __future__ import annotations

from typing import Annotated

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import ReqId, Text, text


class OntologyBody(CytomineBody):
    """``POST /api/ontology.json``, ``PUT /api/ontology/{id}.json``."""

    name: Annotated[str, text(255, required=True)]


class TermBody(CytomineBody):
    """``POST /api/term.json``, ``PUT /api/term/{id}.json``; ``color`` defaults to red."""

    name: Annotated[str, text(255, required=True)]
    comment: Text = None
    color: Text = None
    ontology: ReqId


class RelationTermBody(CytomineBody):
    """``POST /api/relation/parent/term.json``: ``term2`` becomes a child of ``term1``."""

    term1: ReqId
    term2: ReqId


__all__ = ["OntologyBody", "RelationTermBody", "TermBody"]
