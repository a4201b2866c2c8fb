"""``workstation review`` and ``workstation adjudicate``: the review study from a shell.

``review IMAGE`` lists the image's annotations with *your* decision (blinded projects
show your own terms only); ``review IMAGE ANNOTATION --accept|--reject`` records your
decision (``--reason`` a code or its number, ``--comment``, ``--term`` your reading).
``adjudicate PROJECT`` lists the annotations readers disagree on, side by side;
``adjudicate PROJECT ANNOTATION --accept|--reject`` sets the final decision (project
admins).  ``reasons PROJECT`` lists the reject reasons; ``--set CODE=LABEL``… (project
admins) replaces them on the server at once.  Decisions are written to the local cache;
``workstation sync`` sends them.  Annotations are named by server id (``local:N`` for
the cache's own key).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser("review", help="list or record your review decisions")
    cmd.add_argument("image", metavar="IMAGE", help="image id (server id, local:<id> or UUID)")
    cmd.add_argument("annotation", metavar="ANNOTATION", nargs="?", help="annotation to decide")
    _decision_args(cmd)
    cmd.set_defaults(func=run_review)
    adj = subparsers.add_parser(
        "adjudicate", help="disagreements between readers; set the final decision (admins)"
    )
    adj.add_argument("project", metavar="PROJECT", help="project server id, local:<id> or name")
    adj.add_argument("annotation", metavar="ANNOTATION", nargs="?", help="annotation to settle")
    adj.add_argument(
        "--agreed", action="store_true", help="make the readers' decision final wherever they agree"
    )
    _decision_args(adj)
    adj.set_defaults(func=run_adjudicate)
    rsn = subparsers.add_parser(
        "reasons", help="a project's reject reasons; project admins replace them (--set)"
    )
    rsn.add_argument("project", metavar="PROJECT", help="project server id, local:<id> or name")
    rsn.add_argument(
        "--set", metavar="CODE=LABEL", action="append", help="the new list, in order (repeat)"
    )
    rsn.add_argument("--default", action="store_true", help="restore the default reasons")
    rsn.add_argument("--json", action="store_true", help="print JSON")
    rsn.set_defaults(func=run_reasons)


def _decision_args(cmd: argparse.ArgumentParser) -> None:
    verdict = cmd.add_mutually_exclusive_group()
    verdict.add_argument("--accept", action="store_true", help="accept the annotation")
    verdict.add_argument("--reject", action="store_true", help="reject the annotation")
    cmd.add_argument("--reason", help="reject reason: its code or its number in the list")
    cmd.add_argument("--comment", default="", help="a free comment")
    cmd.add_argument("--term", action="append", default=[], help="a term name (repeatable)")
    cmd.add_argument("--json", action="store_true", help="print JSON")


def _annotation(store: Any, ref: str) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from sqlalchemy import select

    from desktop_app.model.annotation import Annotation

    with store.read() as s:
        if ref.startswith("local:") and ref[6:].isdigit():
            pk = s.scalar(select(Annotation.pk).where(Annotation.pk == int(ref[6:])))
        elif ref.isdigit():
            pk = s.scalar(select(Annotation.pk).where(Annotation.server_id == int(ref)))
        else:
            pk = s.scalar(select(Annotation.pk).where(Annotation.uid == ref))
    if pk is None:
        raise CliError(f"no annotation {ref!r} in the cache (server id, local:<id> or UUID)")
    return int(pk)


def _terms(store: Any, project_pk: int, names: list[str]) -> list[int]:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from sqlalchemy import select

    from desktop_app.model.ontology import Term
    from desktop_app.model.project import Project

    with store.read() as s:
        onto = s.scalar(select(Project.ontology_pk).where(Project.pk == project_pk))
        known = dict(s.execute(select(Term.name, Term.pk).where(Term.ontology_pk == onto)).all())
    missing = [n for n in names if n not in known]
    if missing:
        raise CliError(f"no term {', '.join(missing)} in this project (terms: {', '.join(known)})")
    return [int(known[n]) for n in names]


def _reason(store: Any, project_pk: int, raw: str | None) -> str | None:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.services.review_decisions import reason_codes

    if raw is None:
        return None
    codes = reason_codes(store, project_pk)
    for c in codes:
        if raw in (c.code, str(c.number)):
            return c.code
    choices = ", ".join(f"{c.number}={c.code}" for c in codes)
    raise CliError(f"unknown reason {raw!r}; this project's reasons: {choices}")


def _ref(server_id: int | None, pk: int) -> str:
    return str(server_id) if server_id is not None else f"local:{pk}"


def run_review(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from sqlalchemy import select

    from desktop_app.core.review import ReviewStatus
    from desktop_app.model.annotation import Annotation
    from desktop_app.services import review, review_study
    from desktop_app.services.annotations import AnnotationService
    from desktop_app.services.workspace import Workspace

    store = open_store(settings_from(args))
    try:
        ws = Workspace(store)
        image_pk = ws.find_image(args.image)
        if image_pk is None:
            raise CliError(f"no image {args.image!r} in the cache (`workstation images`)")
        me = ws.local_user().pk
        project_pk = review_study.project_of_image(store, image_pk)
        if args.annotation is None:
            items = review_study.reader_items(store, image_pk, me)
            with store.read() as s:
                sids = dict(
                    s.execute(
                        select(Annotation.pk, Annotation.server_id).where(
                            Annotation.image_pk == image_pk
                        )
                    ).all()
                )
            rows = [
                {"annotation": _ref(sids.get(i.pk), i.pk), "decision": i.status.value}
                for i in items
            ]
            blinded = review_study.is_blinded(store, project_pk, me)
            if args.json:
                print(json.dumps({"blinded": blinded, "annotations": rows}, indent=2))
            else:
                for r in rows:
                    print(f"{r['annotation']:>12}  {r['decision']}")
            return 0
        if not (args.accept or args.reject):
            raise CliError("say --accept or --reject")
        ann_pk = _annotation(store, args.annotation)
        status = ReviewStatus.ACCEPTED if args.accept else ReviewStatus.REJECTED
        service = AnnotationService(store, image_pk, me)
        try:
            changed = review.decide(
                service,
                store,
                ann_pk,
                status,
                term_pks=_terms(store, project_pk, args.term) if args.term else None,
                reason=_reason(store, project_pk, args.reason),
                comment=args.comment,
            )
        except (review.ReviewRefused, ValueError) as exc:
            raise CliError(str(exc)) from exc
    finally:
        store.close()
    word = status.value if changed else f"already {status.value} (unchanged)"
    print(json.dumps({"annotation": args.annotation, "decision": word}) if args.json else word)
    return 0


def run_adjudicate(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from sqlalchemy import select

    from desktop_app.model.annotation import Annotation
    from desktop_app.model.review import Verdict
    from desktop_app.services import review_study
    from desktop_app.services.projects import ProjectCatalog
    from desktop_app.services.workspace import Workspace

    store = open_store(settings_from(args))
    try:
        project_pk = ProjectCatalog(store).find_project(args.project)
        if project_pk is None:
            raise CliError(f"no project {args.project!r} in the cache (`workstation projects`)")
        me = Workspace(store).local_user().pk
        if args.agreed:
            try:
                settled = review_study.finalise_agreed(store, project_pk, me)
            except PermissionError as exc:
                raise CliError(str(exc)) from exc
            print(f"final decision set where readers agree: {len(settled)} annotation(s)")
            return 0
        if args.annotation is None:
            queue = review_study.adjudication_queue(store, project_pk)
            with store.read() as s:
                pks = [q.annotation_pk for q in queue]
                sids = dict(
                    s.execute(
                        select(Annotation.pk, Annotation.server_id).where(Annotation.pk.in_(pks))
                    ).all()
                )
            rows = [_item_json(q, sids.get(q.annotation_pk)) for q in queue]
            if args.json:
                print(json.dumps({"queue": rows}, indent=2))
            else:
                for r in rows:
                    readings = "; ".join(f"{x['reader']}: {x['decision']}" for x in r["readings"])
                    print(f"{r['annotation']:>12}  {readings}")
            return 0
        if not (args.accept or args.reject):
            raise CliError("say --accept or --reject")
        ann_pk = _annotation(store, args.annotation)
        verdict = Verdict.ACCEPTED if args.accept else Verdict.REJECTED
        try:
            review_study.adjudicate(
                store,
                ann_pk,
                me,
                verdict,
                term_pks=_terms(store, project_pk, args.term),
                reason=_reason(store, project_pk, args.reason),
                comment=args.comment,
            )
        except (PermissionError, ValueError) as exc:
            raise CliError(str(exc)) from exc
    finally:
        store.close()
    print(f"final decision: {verdict.value}")
    return 0


def _item_json(q: Any, server_id: int | None) -> dict[str, Any]:
    return {
        "annotation": _ref(server_id, q.annotation_pk),
        "on_decision": q.on_decision,
        "on_terms": q.on_terms,
        "readings": [
            {
                "reader": d.reader,
                "decision": d.decision.value,
                "terms": list(d.term_pks),
                "reason": d.reason,
                "comment": d.comment,
            }
            for d in q.readings
        ],
    }


def run_reasons(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.services.projects import ProjectCatalog
    from desktop_app.services.review_decisions import reason_codes

    settings = settings_from(args)
    store = open_store(settings)
    try:
        project_pk = ProjectCatalog(store).find_project(args.project)
        if project_pk is None:
            raise CliError(f"no project {args.project!r} in the cache (`workstation projects`)")
        if args.set or args.default:
            _put_reasons(store, settings, project_pk, None if args.default else args.set)
        codes = reason_codes(store, project_pk)
    finally:
        store.close()
    if args.json:
        rows = [{"number": c.number, "code": c.code, "label": c.label} for c in codes]
        print(json.dumps({"reasons": rows}, indent=2))
    else:
        for c in codes:
            print(f"{c.number}  {c.code:<16} {c.label}")
    return 0


def _put_reasons(store: Any, settings: Any, project_pk: int, raw: list[str] | None) -> None:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.sync.projects.review_reasons import put_reasons
    from desktop_app.sync.transport import credentials
    from desktop_app.sync.transport.http import CytomineClient, SyncHttpError

    pairs = None
    if raw is not None:
        bad = [r for r in raw if "=" not in r or not r.split("=", 1)[0].strip()]
        if bad:
            raise CliError(f"--set takes CODE=LABEL (got {', '.join(bad)})")
        pairs = [(c.strip(), label.strip()) for c, label in (r.split("=", 1) for r in raw)]
    try:
        creds = credentials.load(settings.data_dir)
    except credentials.CredentialError as exc:
        raise CliError(str(exc), 2) from None
    client = CytomineClient(creds.server_url, creds.public_key, creds.private_key)
    try:
        put_reasons(store, client, project_pk, pairs)
    except (SyncHttpError, ValueError) as exc:
        raise CliError(f"the reasons were not changed: {exc}") from exc
    finally:
        client.close()
