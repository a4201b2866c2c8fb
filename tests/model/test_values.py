"""Enumerations, timestamps and subject names are enforced where it matters."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from desktop_app.model import (
    Access,
    AclEntry,
    ContainerFile,
    ContainerType,
    Ethnicity,
    Job,
    JobStatus,
    Project,
    ProjectMember,
    Race,
    Sex,
    Software,
    Subject,
    User,
)


@pytest.fixture
def project_member(session: Session) -> ProjectMember:
    user = User(username="alice")
    project = Project(name="p1")
    session.add_all([user, project])
    session.flush()
    member = ProjectMember(project_pk=project.pk, user_pk=user.pk, access=Access.RO)
    session.add(member)
    session.commit()
    return member


def test_enum_values_match_the_seed_exactly() -> None:
    assert [s.value for s in Sex] == ["female", "male", "other", "unknown"]
    assert [r.value for r in Race] == [
        "American Indian or Alaska Native",
        "Asian",
        "Native Hawaiian or Other Pacific Islander",
        "Black or African American",
        "White",
        "More Than One Race",
        "Unknown or Not Reported",
    ]
    assert [e.value for e in Ethnicity] == [
        "Not Hispanic or Latino",
        "Hispanic or Latino",
        "Unknown or Not Reported",
    ]
    assert [a.value for a in Access] == ["ro", "rw", "admin"]


@pytest.mark.parametrize("race", list(Race))
def test_every_seed_race_is_stored(session: Session, race: Race) -> None:
    session.add(Subject(code="c", race=race, sex=Sex.OTHER, ethnicity=Ethnicity.HISPANIC_OR_LATINO))
    session.commit()
    assert session.scalars(select(Subject.race)).one() is race


@pytest.mark.parametrize(
    ("entity", "field", "bad"),
    [(Subject, "sex", "x"), (Subject, "race", "Martian"), (Subject, "ethnicity", "other")],
)
def test_python_refuses_values_outside_the_seed(
    session: Session, entity: type, field: str, bad: str
) -> None:
    session.add(entity(**{field: bad}))
    with pytest.raises(StatementError, match="not among the defined enum values"):
        session.flush()


def test_python_refuses_unknown_access(session: Session, project_member: ProjectMember) -> None:
    project_member.access = "write"  # type: ignore[assignment]
    with pytest.raises(StatementError):
        session.flush()


@pytest.mark.parametrize(
    ("table", "column", "bad"),
    [
        ("subject", "sex", "'x'"),
        ("subject", "race", "'white'"),
        ("subject", "ethnicity", "'Latino'"),
        ("project_member", "access", "'write'"),
        ("job", "status", "99"),
        ("container_file", "origin_type", "'robot'"),
        ("container_file", "container_type", "'group'"),
        ("acl_entry", "mask", "3"),
        ("project", "mode", "'OPEN'"),
    ],
)
def test_database_check_refuses_values_outside_the_lists(
    session: Session, project_member: ProjectMember, table: str, column: str, bad: str
) -> None:
    software = Software(name="s")
    session.add_all(
        [
            Subject(code="c", sex=Sex.FEMALE),
            software,
            ContainerFile(container_type=ContainerType.SESSION, container_pk=1, name="slide.svs"),
            AclEntry(
                domain_class_name="be.cytomine.domain.project.Project",
                domain_pk=project_member.project_pk,
                user_pk=project_member.user_pk,
                mask=1,
            ),
        ]
    )
    session.flush()
    session.add(Job(software_pk=software.pk, status=JobStatus.RUNNING))
    session.commit()
    with pytest.raises(IntegrityError, match="CHECK constraint failed"):
        session.execute(text(f"UPDATE {table} SET {column} = {bad}"))


def test_int_enums_refuse_unknown_codes_in_python(session: Session) -> None:
    software = Software(name="s")
    session.add(software)
    session.flush()
    session.add(Job(software_pk=software.pk, status=42))
    with pytest.raises(StatementError):
        session.flush()
    with pytest.raises(ValueError):
        AclEntry(domain_class_name="x", domain_pk=1, user_pk=1, mask=3)


def test_job_status_round_trips_as_cytomine_code(session: Session) -> None:
    software = Software(name="s")
    session.add(software)
    session.flush()
    session.add(Job(software_pk=software.pk, status=JobStatus.KILLED))
    session.commit()
    assert session.execute(text("SELECT status FROM job")).scalar_one() == 8
    session.expunge_all()
    assert session.scalars(select(Job.status)).one() is JobStatus.KILLED


def test_naive_datetime_is_refused(session: Session) -> None:
    session.add(User(username="bob", created=datetime(2024, 1, 1, 12, 0)))
    with pytest.raises(StatementError, match="timezone-aware"):
        session.flush()


def test_timestamps_come_back_utc_aware(session: Session) -> None:
    paris = timezone(timedelta(hours=2))
    moment = datetime(2024, 6, 1, 14, 30, tzinfo=paris)
    session.add(User(username="carol", created=moment))
    session.commit()
    session.expunge_all()
    got = session.scalars(select(User.created).where(User.username == "carol")).one()
    assert got.tzinfo is not None
    assert got.utcoffset() == timedelta(0)
    assert got == moment
    assert got == datetime(2024, 6, 1, 12, 30, tzinfo=UTC)


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def test_subject_names_hashed_only_without_rights(session: Session) -> None:
    subject = Subject(code="case-1")
    subject.set_names("Marie", "Curie", store_plaintext=False)
    session.add(subject)
    session.commit()
    session.expunge_all()
    row = session.scalars(select(Subject)).one()
    assert row.firstname is None and row.lastname is None
    assert row.firstname_hash == _sha("marie")
    assert row.lastname_hash == _sha("curie")


def test_subject_names_plaintext_when_allowed(session: Session) -> None:
    subject = Subject(code="case-2")
    subject.set_names("Marie", "Curie", store_plaintext=True)
    assert (subject.firstname, subject.lastname) == ("Marie", "Curie")
    assert subject.firstname_hash == Subject.hash_name(" MARIE ")
    # A later write without the right clears the plaintext it could not vouch for.
    subject.set_names("Maria", "Sklodowska", store_plaintext=False)
    assert subject.firstname is None and subject.lastname is None
    assert subject.lastname_hash == _sha("sklodowska")


def test_term_tree_and_members_relationships(session: Session) -> None:
    from sqlalchemy.orm import selectinload, undefer

    from desktop_app.model import Ontology, Relation, RelationTerm, Term

    user = User(username="dora")
    onto = Ontology(name="o")
    session.add_all([user, onto])
    session.flush()
    project = Project(name="p", ontology_pk=onto.pk)
    project.members.append(ProjectMember(user_pk=user.pk, access=Access.ADMIN))
    tumor, necrosis = (
        Term(name="tumor", ontology_pk=onto.pk),
        Term(name="necrosis", ontology_pk=onto.pk),
    )
    parent = Relation(name="parent")
    session.add_all([project, tumor, necrosis, parent])
    session.flush()
    session.add(RelationTerm(relation_pk=parent.pk, term1_pk=tumor.pk, term2_pk=necrosis.pk))
    session.commit()
    session.expunge_all()

    loaded = session.scalars(select(Project)).one()
    assert [m.is_admin for m in loaded.members] == [True]
    terms = session.scalars(
        select(Term).options(selectinload(Term.children), undefer(Term.parent_pk)).order_by(Term.pk)
    ).all()
    assert [(t.name, [c.name for c in t.children], t.parent_pk) for t in terms] == [
        ("tumor", ["necrosis"], None),
        ("necrosis", [], terms[0].pk),
    ]
