"""Ontology use cases: create an ontology with its term tree, list it in tree order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from desktop_app.model.ontology import PARENT_RELATION, Ontology, Relation, RelationTerm, Term
from desktop_app.model.sync import OpKind
from desktop_app.store.uow import Store, UnitOfWork


@dataclass(frozen=True, slots=True)
class TermSpec:
    """A term to create: its name, "#RRGGBB" colour and optional parent term name."""

    name: str
    color: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class TermNode:
    pk: int
    name: str
    color: str
    parent_pk: int | None
    depth: int


def parent_relation(uow: UnitOfWork) -> Relation:
    """The seeded "parent" relation (created on first use in a fresh cache)."""
    relation = uow.session.scalar(select(Relation).where(Relation.name == PARENT_RELATION))
    if relation is None:
        relation = Relation(name=PARENT_RELATION)
        uow.session.add(relation)
        uow.session.flush()
    return relation


def create_ontology(store: Store, name: str, terms: Sequence[TermSpec], user_pk: int) -> int:
    """Create an ontology and its terms (parents before children) in one action."""
    by_name = {t.name: t for t in terms}
    for spec in terms:
        if spec.parent is not None and spec.parent not in by_name:
            raise ValueError(f"term {spec.name!r}: unknown parent {spec.parent!r}")
    with store.unit_of_work(label=f"Create ontology {name}", user_pk=user_pk) as uow:
        ontology = Ontology(name=name, user_pk=user_pk)
        uow.session.add(ontology)
        uow.session.flush()
        uow.log(OpKind.CREATE, ontology)
        relation = parent_relation(uow)
        rows: dict[str, Term] = {}
        for spec in terms:
            term = Term(name=spec.name, color=spec.color, ontology_pk=ontology.pk)
            uow.session.add(term)
            uow.session.flush()
            uow.log(OpKind.CREATE, term)
            rows[spec.name] = term
        for spec in terms:
            if spec.parent is not None:
                link = RelationTerm(
                    relation_pk=relation.pk,
                    term1_pk=rows[spec.parent].pk,
                    term2_pk=rows[spec.name].pk,
                )
                uow.session.add(link)
                uow.session.flush()
                uow.log(OpKind.CREATE, link)
        return ontology.pk


def term_tree(store: Store, ontology_pk: int) -> list[TermNode]:
    """Terms in tree order (parents first, siblings by name): the order of keys 1–9."""
    with store.read() as s:
        terms = list(
            s.scalars(
                select(Term).where(Term.ontology_pk == ontology_pk, Term.local_deleted.is_(False))
            )
        )
        links = s.execute(
            select(RelationTerm.term1_pk, RelationTerm.term2_pk)
            .join(Relation, Relation.pk == RelationTerm.relation_pk)
            .where(Relation.name == PARENT_RELATION, RelationTerm.local_deleted.is_(False))
        ).all()
    parent_of = {child: parent for parent, child in links}
    children: dict[int | None, list[Term]] = {}
    for term in terms:
        children.setdefault(parent_of.get(term.pk), []).append(term)
    out: list[TermNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for term in sorted(children.get(parent, []), key=lambda t: t.name.lower()):
            out.append(TermNode(term.pk, term.name, term.color, parent, depth))
            walk(term.pk, depth + 1)

    walk(None, 0)
    return out
