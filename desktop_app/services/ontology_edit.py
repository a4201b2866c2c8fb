"""Editing an ontology's term tree: create, rename, recolour, re-parent, delete, JSON.

Each function is one user action: one transaction with its command-log operations,
and one undo step in the ontology's own scope (``ontology:<pk>``), so term edits sync
like any other edit and never mix with an image's drawing history.  Refusals are
:class:`~desktop_app.store.edits.EditError` with a message meant for the user, raised
before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.ontology import PARENT_RELATION, Ontology, Relation, RelationTerm, Term
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Access
from desktop_app.model.sync import OpKind
from desktop_app.services.ontology import parent_relation, term_tree
from desktop_app.store.edits import EditError
from desktop_app.store.uow import Store, UnitOfWork

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: Format tag written into exported ontology files (and checked on import).
ONTOLOGY_FORMAT = "desktop_app.ontology/1"


def scope(ontology_pk: int) -> str:
    """The undo scope of an ontology's term edits."""
    return f"ontology:{ontology_pk}"


def _uow(store: Store, ontology_pk: int, label: str, user_pk: int) -> UnitOfWork:
    return store.unit_of_work(label=label, user_pk=user_pk, scope=scope(ontology_pk))


def _check_color(color: str) -> str:
    if not _COLOR.match(color):
        raise EditError(f"{color!r} is not a colour of the form #RRGGBB")
    return color.upper()


def _check_name(uow: UnitOfWork, ontology_pk: int, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise EditError("A term needs a name.")
    clash = uow.session.scalar(
        select(Term.pk).where(
            Term.ontology_pk == ontology_pk,
            func.lower(Term.name) == name.lower(),
            Term.local_deleted.is_(False),
        )
    )
    if clash is not None and clash != exclude:
        raise EditError(f"The ontology already has a term named {name!r}.")
    return name


def _term(uow: UnitOfWork, term_pk: int) -> Term:
    term = uow.session.get(Term, term_pk)
    if term is None or term.local_deleted:
        raise EditError(f"unknown term {term_pk}")
    return term


def _parent_links(uow: UnitOfWork, child_pk: int) -> list[RelationTerm]:
    return list(
        uow.session.scalars(
            select(RelationTerm)
            .join(Relation, Relation.pk == RelationTerm.relation_pk)
            .where(
                Relation.name == PARENT_RELATION,
                RelationTerm.term2_pk == child_pk,
                RelationTerm.local_deleted.is_(False),
            )
        )
    )


def _link(uow: UnitOfWork, parent_pk: int, child_pk: int) -> None:
    """Make ``parent_pk`` the parent of ``child_pk`` (reviving a tombstoned link)."""
    relation = parent_relation(uow)
    link = uow.session.scalar(
        select(RelationTerm).where(
            RelationTerm.relation_pk == relation.pk,
            RelationTerm.term1_pk == parent_pk,
            RelationTerm.term2_pk == child_pk,
        )
    )
    if link is None:
        link = RelationTerm(relation_pk=relation.pk, term1_pk=parent_pk, term2_pk=child_pk)
        uow.session.add(link)
        uow.session.flush()
    link.local_deleted = False
    uow.log(OpKind.CREATE, link)


def _unlink_parents(uow: UnitOfWork, child_pk: int) -> None:
    for link in _parent_links(uow, child_pk):
        link.local_deleted = True
        uow.log(OpKind.DELETE, link)


def _new_term(uow: UnitOfWork, ontology_pk: int, name: str, color: str) -> Term:
    """A live term row: a tombstoned namesake is revived (names are unique per ontology)."""
    term = uow.session.scalar(
        select(Term).where(Term.ontology_pk == ontology_pk, Term.name == name)
    )
    if term is None:
        term = Term(name=name, color=color, ontology_pk=ontology_pk)
        uow.session.add(term)
        uow.session.flush()
        uow.log(OpKind.CREATE, term)
        return term
    old = {"color": term.color, "local_deleted": term.local_deleted}
    term.color, term.local_deleted = color, False
    uow.log(OpKind.CREATE, term, payload={"color": color}, inverse=old)
    return term


# --- project / rights -------------------------------------------------------------------


def can_edit_ontology(store: Store, project_pk: int, user_pk: int) -> bool:
    """Only project admins edit the term tree (the local user administers local projects)."""
    with store.read() as s:
        access = s.scalar(
            select(ProjectMember.access).where(
                ProjectMember.project_pk == project_pk, ProjectMember.user_pk == user_pk
            )
        )
    return access == Access.ADMIN


def resolve_ontology(
    store: Store, project_pk: int, user_pk: int, fallback: int | None = None
) -> int:
    """The project's ontology; a project without one gets ``fallback`` or a new empty one.

    Annotation terms must come from the project's ontology (the server insists), so the
    term panel always edits that one.
    """
    with store.read() as s:
        current = s.scalar(select(Project.ontology_pk).where(Project.pk == project_pk))
    if current is not None:
        return int(current)
    with store.unit_of_work(undoable=False, user_pk=user_pk) as uow:
        project = uow.session.get(Project, project_pk)
        if project is None:
            raise EditError(f"unknown project {project_pk}")
        if fallback is None:
            ontology = Ontology(name=f"{project.name} ontology", user_pk=user_pk)
            uow.session.add(ontology)
            uow.session.flush()
            uow.log(OpKind.CREATE, ontology)
            fallback = ontology.pk
        project.ontology_pk = fallback
        return int(fallback)


def rename_ontology(store: Store, ontology_pk: int, name: str, *, user_pk: int) -> None:
    """Rename the ontology itself: one undoable ``update`` op, pushed as
    ``PUT /api/ontology/{id}.json`` against the version it was renamed from."""
    name = name.strip()
    if not name:
        raise EditError("An ontology needs a name.")
    with _uow(store, ontology_pk, f"Rename ontology {name}", user_pk) as uow:
        onto = uow.session.get(Ontology, ontology_pk)
        if onto is None:
            raise EditError(f"unknown ontology {ontology_pk}")
        clash = uow.session.scalar(
            select(Ontology.pk).where(Ontology.name == name, Ontology.pk != ontology_pk)
        )
        if clash is not None:
            raise EditError(f"There is already an ontology named {name!r}.")
        old = onto.name
        onto.name = name
        uow.log(OpKind.UPDATE, onto, payload={"name": name}, inverse={"name": old})


# --- term edits -------------------------------------------------------------------------


def create_term(
    store: Store,
    ontology_pk: int,
    name: str,
    color: str,
    *,
    user_pk: int,
    parent_pk: int | None = None,
) -> int:
    color = _check_color(color)
    with _uow(store, ontology_pk, f"Create term {name.strip()}", user_pk) as uow:
        name = _check_name(uow, ontology_pk, name)
        if parent_pk is not None:
            _term(uow, parent_pk)
        term = _new_term(uow, ontology_pk, name, color)
        if parent_pk is not None:
            _link(uow, parent_pk, term.pk)
        return int(term.pk)


def rename_term(store: Store, term_pk: int, name: str, *, user_pk: int) -> None:
    with store.read() as s:
        ontology_pk = s.scalar(select(Term.ontology_pk).where(Term.pk == term_pk))
    if ontology_pk is None:
        raise EditError(f"unknown term {term_pk}")
    with _uow(store, ontology_pk, f"Rename term {name.strip()}", user_pk) as uow:
        term = _term(uow, term_pk)
        name = _check_name(uow, ontology_pk, name, exclude=term_pk)
        old = term.name
        term.name = name
        uow.log(OpKind.UPDATE, term, payload={"name": name}, inverse={"name": old})


def recolor_term(store: Store, term_pk: int, color: str, *, user_pk: int) -> None:
    color = _check_color(color)
    with store.read() as s:
        ontology_pk = s.scalar(select(Term.ontology_pk).where(Term.pk == term_pk))
    if ontology_pk is None:
        raise EditError(f"unknown term {term_pk}")
    with _uow(store, ontology_pk, "Change term colour", user_pk) as uow:
        term = _term(uow, term_pk)
        old = term.color
        term.color = color
        uow.log(OpKind.UPDATE, term, payload={"color": color}, inverse={"color": old})


def reparent_term(store: Store, term_pk: int, parent_pk: int | None, *, user_pk: int) -> None:
    """Move a term under ``parent_pk`` (``None``: make it a root); cycles are refused."""
    with store.read() as s:
        ontology_pk = s.scalar(select(Term.ontology_pk).where(Term.pk == term_pk))
    if ontology_pk is None:
        raise EditError(f"unknown term {term_pk}")
    nodes = {n.pk: n for n in term_tree(store, ontology_pk)}
    ancestor = parent_pk
    while ancestor is not None:
        if ancestor == term_pk:
            raise EditError("A term cannot be moved under itself or one of its children.")
        ancestor = nodes[ancestor].parent_pk if ancestor in nodes else None
    with _uow(store, ontology_pk, "Move term", user_pk) as uow:
        _term(uow, term_pk)
        if parent_pk is not None:
            parent = _term(uow, parent_pk)
            if parent.ontology_pk != ontology_pk:
                raise EditError("The new parent belongs to another ontology.")
        _unlink_parents(uow, term_pk)
        if parent_pk is not None:
            _link(uow, parent_pk, term_pk)


def delete_term(store: Store, term_pk: int, *, user_pk: int) -> None:
    """Delete an unused leaf term (as Cytomine refuses to delete terms in use)."""
    with store.read() as s:
        ontology_pk = s.scalar(select(Term.ontology_pk).where(Term.pk == term_pk))
    if ontology_pk is None:
        raise EditError(f"unknown term {term_pk}")
    if any(n.parent_pk == term_pk for n in term_tree(store, ontology_pk)):
        raise EditError("Move or delete the term's children first.")
    with _uow(store, ontology_pk, "Delete term", user_pk) as uow:
        term = _term(uow, term_pk)
        used = uow.session.scalar(
            select(func.count())
            .select_from(AnnotationTerm)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(
                AnnotationTerm.term_pk == term_pk,
                AnnotationTerm.local_deleted.is_(False),
                Annotation.local_deleted.is_(False),
            )
        )
        if used:
            raise EditError(f"{term.name!r} is used by {used} annotation(s); it cannot be deleted.")
        _unlink_parents(uow, term_pk)
        term.local_deleted = True
        uow.log(OpKind.DELETE, term)


# --- JSON -------------------------------------------------------------------------------


@dataclass
class OntologyImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def export_ontology(store: Store, ontology_pk: int) -> dict[str, Any]:
    """The term tree as JSON-ready data (parents before children)."""
    with store.read() as s:
        name = s.scalar(select(Ontology.name).where(Ontology.pk == ontology_pk))
    if name is None:
        raise EditError(f"unknown ontology {ontology_pk}")
    nodes = term_tree(store, ontology_pk)
    names: dict[int | None, str] = {n.pk: n.name for n in nodes}
    return {
        "format": ONTOLOGY_FORMAT,
        "name": name,
        "terms": [
            {"name": n.name, "color": n.color, "parent": names.get(n.parent_pk)} for n in nodes
        ],
    }


def _parse_terms(data: Any) -> list[tuple[str, str, str | None]]:
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise EditError('Not an ontology file: expected {"terms": [...]}.')
    out: list[tuple[str, str, str | None]] = []
    for i, item in enumerate(data["terms"]):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise EditError(f"Term #{i + 1} has no name.")
        parent = item.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise EditError(f"Term {item['name']!r}: parent must be a term name.")
        color = item.get("color") or "#FFC107"
        out.append((item["name"].strip(), _check_color(str(color)), parent))
    parents = {n: p for n, _, p in out}
    for name, parent in parents.items():
        if parent is not None and parent not in parents:
            raise EditError(f"Term {name!r}: unknown parent {parent!r}.")
        seen = {name}
        while parent is not None:
            if parent in seen:
                raise EditError(f"Term {name!r}: the parents form a cycle.")
            seen.add(parent)
            parent = parents[parent]
    return out


def import_ontology(store: Store, ontology_pk: int, data: Any, *, user_pk: int) -> OntologyImport:
    """Merge a JSON term tree into the ontology by name: add missing terms, update
    colours and parents of existing ones.  One action (one undo step)."""
    specs = _parse_terms(data)
    report = OntologyImport()
    with _uow(store, ontology_pk, f"Import {len(specs)} terms", user_pk) as uow:
        live = {
            t.name: t
            for t in uow.session.scalars(
                select(Term).where(Term.ontology_pk == ontology_pk, Term.local_deleted.is_(False))
            )
        }
        rows: dict[str, Term] = {}
        for name, color, _ in specs:
            term = live.get(name)
            if term is None:
                term = _new_term(uow, ontology_pk, name, color)
                report.created.append(name)
            elif term.color.upper() != color:
                old = term.color
                term.color = color
                uow.log(OpKind.UPDATE, term, payload={"color": color}, inverse={"color": old})
                report.updated.append(name)
            rows[name] = term
        for name, _, parent in specs:
            child = rows[name]
            current = [link.term1_pk for link in _parent_links(uow, child.pk)]
            wanted = rows[parent].pk if parent is not None else None
            if current == ([wanted] if wanted is not None else []):
                continue
            _unlink_parents(uow, child.pk)
            if wanted is not None:
                _link(uow, wanted, child.pk)
            if name not in report.created and name not in report.updated:
                report.updated.append(name)
    return report
