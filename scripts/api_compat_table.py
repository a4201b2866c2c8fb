"""Regenerate (or ``--check``) the compatibility tables in docs/api.md from the route table.

The reference lists below name, per Cytomine domain class (as the official Python
client 4.3.0 and Cytomine-core address it) and per SciTran route family (scitran/core's
``api.py``), the routes a script written for the original may call.  Each route is
looked up in this server's own route table (every module in ``ROUTE_MODULES``); a
class or family is **yes** when all its routes exist, **partly** with the missing ones
listed, **no** when none does.  Nothing in the tables is typed by hand.

    python scripts/api_compat_table.py          # rewrite the section in docs/api.md
    python scripts/api_compat_table.py --check  # exit 1 if docs/api.md is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "api.md"
BEGIN = "<!-- compat-table:begin (scripts/api_compat_table.py) -->"
END = "<!-- compat-table:end -->"

#: Cytomine domain class -> the routes its client model and collections use.
CYTOMINE: dict[str, list[str]] = {
    "User / CurrentUser": [
        "GET /api/user/current.json",
        "GET /api/user.json",
        "POST /api/user.json",
        "GET /api/user/{id}.json",
        "PUT /api/user/{id}.json",
        "DELETE /api/user/{id}.json",
        "GET /api/project/{id}/user.json",
        "GET /api/project/{id}/admin.json",
        "GET /api/ontology/{id}/user.json",
        "GET /api/userkey/{key}/keys.json",
        "GET /api/user/{id}/keys.json",
        "GET /api/signature.json",
    ],
    "Role / SecUserSecRole": [
        "GET /api/role.json",
        "GET /api/role/{id}.json",
        "GET /api/user/{id}/role.json",
        "POST /api/user/{id}/role.json",
        "GET /api/user/{id}/role/{id}.json",
        "DELETE /api/user/{id}/role/{id}.json",
    ],
    "Project": [
        "GET /api/project.json",
        "POST /api/project.json",
        "GET /api/project/{id}.json",
        "PUT /api/project/{id}.json",
        "DELETE /api/project/{id}.json",
        "GET /api/user/{id}/project.json",
        "GET /api/ontology/{id}/project.json",
        "POST /api/project/{id}/user/{id}.json",
        "DELETE /api/project/{id}/user/{id}.json",
        "POST /api/project/{id}/user/{id}/admin.json",
        "DELETE /api/project/{id}/user/{id}/admin.json",
    ],
    "Ontology": [
        "GET /api/ontology.json",
        "POST /api/ontology.json",
        "GET /api/ontology/{id}.json",
        "PUT /api/ontology/{id}.json",
        "DELETE /api/ontology/{id}.json",
    ],
    "Term": [
        "GET /api/term.json",
        "POST /api/term.json",
        "GET /api/term/{id}.json",
        "PUT /api/term/{id}.json",
        "DELETE /api/term/{id}.json",
        "GET /api/ontology/{id}/term.json",
        "GET /api/project/{id}/term.json",
    ],
    "RelationTerm": [
        "POST /api/relation/{id}/term.json",
        "GET /api/relation/{id}/term1/{id}/term2/{id}.json",
        "DELETE /api/relation/{id}/term1/{id}/term2/{id}.json",
    ],
    "Storage": [
        "GET /api/storage.json",
        "POST /api/storage.json",
        "GET /api/storage/{id}.json",
        "PUT /api/storage/{id}.json",
    ],
    "UploadedFile": [
        "GET /api/uploadedfile.json",
        "POST /api/uploadedfile.json",
        "GET /api/uploadedfile/{id}.json",
        "PUT /api/uploadedfile/{id}.json",
        "DELETE /api/uploadedfile/{id}.json",
        "POST /upload",
    ],
    "AbstractImage": [
        "GET /api/abstractimage.json",
        "POST /api/abstractimage.json",
        "GET /api/abstractimage/{id}.json",
        "PUT /api/abstractimage/{id}.json",
        "DELETE /api/abstractimage/{id}.json",
        "GET /api/uploadedfile/{id}/abstractimage.json",
        "GET /api/abstractimage/{id}/thumb.{id}",
        "GET /api/abstractimage/{id}/download",
    ],
    "AbstractSlice": [
        "POST /api/abstractslice.json",
        "GET /api/abstractslice/{id}.json",
        "PUT /api/abstractslice/{id}.json",
        "DELETE /api/abstractslice/{id}.json",
        "GET /api/abstractimage/{id}/abstractslice.json",
        "GET /api/uploadedfile/{id}/abstractslice.json",
    ],
    "ImageInstance": [
        "GET /api/project/{id}/imageinstance.json",
        "POST /api/imageinstance.json",
        "GET /api/imageinstance/{id}.json",
        "PUT /api/imageinstance/{id}.json",
        "DELETE /api/imageinstance/{id}.json",
        "GET /api/imageinstance/{id}/window-{id}-{id}-{id}-{id}.{id}",
        "GET /api/imageinstance/{id}/download",
    ],
    "SliceInstance": [
        "GET /api/sliceinstance/{id}.json",
        "GET /api/imageinstance/{id}/sliceinstance.json",
        "GET /api/imageinstance/{id}/sliceinstance/reference.json",
        "POST /api/sliceinstance.json",
    ],
    "ImageGroup": [
        "GET /api/project/{id}/imagegroup.json",
        "POST /api/imagegroup.json",
        "GET /api/imagegroup/{id}.json",
        "PUT /api/imagegroup/{id}.json",
        "DELETE /api/imagegroup/{id}.json",
    ],
    "ImageGroupImageInstance": [
        "POST /api/imagegroup/{id}/imageinstance/{id}.json",
        "GET /api/imagegroup/{id}/imageinstance/{id}.json",
        "DELETE /api/imagegroup/{id}/imageinstance/{id}.json",
        "GET /api/imagegroup/{id}/imagegroupimageinstance.json",
        "GET /api/imageinstance/{id}/imagegroupimageinstance.json",
    ],
    "Annotation (User/Algo)": [
        "GET /api/annotation.json",
        "POST /api/annotation.json",
        "GET /api/annotation/{id}.json",
        "PUT /api/annotation/{id}.json",
        "DELETE /api/annotation/{id}.json",
        "GET /api/algoannotation.json",
        "GET /api/imageinstance/{id}/annotation/included.json",
        "GET /api/userannotation/{id}/crop.{id}",
        "GET /api/userannotation/{id}/mask.{id}",
        "GET /api/userannotation/{id}/alphamask.{id}",
    ],
    "ReviewedAnnotation": [
        "GET /api/reviewedannotation.json",
        "GET /api/reviewedannotation/{id}.json",
        "POST /api/annotation/{id}/review.json",
        "DELETE /api/annotation/{id}/review.json",
        "POST /api/imageinstance/{id}/review.json",
        "DELETE /api/imageinstance/{id}/review.json",
    ],
    "AnnotationTerm": [
        "GET /api/annotation/{id}/term/{id}.json",
        "POST /api/annotation/{id}/term/{id}.json",
        "DELETE /api/annotation/{id}/term/{id}.json",
        "POST /api/annotation/{id}/term/{id}/clearBefore.json",
    ],
    "AnnotationGroup": [
        "POST /api/annotationgroup.json",
        "GET /api/annotationgroup/{id}.json",
        "PUT /api/annotationgroup/{id}.json",
        "DELETE /api/annotationgroup/{id}.json",
        "GET /api/project/{id}/annotationgroup.json",
        "GET /api/imagegroup/{id}/annotationgroup.json",
    ],
    "AnnotationLink": [
        "POST /api/annotationlink.json",
        "GET /api/annotationgroup/{id}/annotation/{id}.json",
        "DELETE /api/annotationgroup/{id}/annotation/{id}.json",
        "GET /api/annotationgroup/{id}/annotationlink.json",
        "GET /api/annotation/{id}/annotationlink.json",
    ],
    "Track": [
        "POST /api/track.json",
        "GET /api/track/{id}.json",
        "PUT /api/track/{id}.json",
        "DELETE /api/track/{id}.json",
        "GET /api/project/{id}/track.json",
        "GET /api/imageinstance/{id}/track.json",
    ],
    "AnnotationTrack": [
        "POST /api/annotationtrack/{id}/{id}.json",
        "GET /api/annotationtrack/{id}/{id}.json",
        "DELETE /api/annotationtrack/{id}/{id}.json",
        "GET /api/track/{id}/annotationtrack.json",
        "GET /api/annotation/{id}/annotationtrack.json",
    ],
    "AnnotationFilter": [
        "GET /api/annotationfilter.json",
        "POST /api/annotationfilter.json",
        "GET /api/annotationfilter/{id}.json",
        "PUT /api/annotationfilter/{id}.json",
        "DELETE /api/annotationfilter/{id}.json",
    ],
    "Property": [
        "GET /api/domain/{id}/{id}/property.json",
        "POST /api/domain/{id}/{id}/property.json",
        "GET /api/domain/{id}/{id}/property/{id}.json",
        "PUT /api/domain/{id}/{id}/property/{id}.json",
        "DELETE /api/domain/{id}/{id}/property/{id}.json",
        "GET /api/domain/{id}/{id}/key/{id}/property.json",
    ],
    "Description": [
        "GET /api/domain/{id}/{id}/description.json",
        "POST /api/domain/{id}/{id}/description.json",
        "PUT /api/domain/{id}/{id}/description.json",
        "DELETE /api/domain/{id}/{id}/description.json",
    ],
    "AttachedFile": [
        "POST /api/attachedfile.json",
        "GET /api/attachedfile/{id}.json",
        "DELETE /api/attachedfile/{id}.json",
        "GET /api/attachedfile/{id}/download",
        "GET /api/domain/{id}/{id}/attachedfile.json",
    ],
    "Tag": [
        "GET /api/tag.json",
        "POST /api/tag.json",
        "GET /api/tag/{id}.json",
        "PUT /api/tag/{id}.json",
        "DELETE /api/tag/{id}.json",
    ],
    "TagDomainAssociation": [
        "POST /api/domain/{id}/{id}/tag_domain_association.json",
        "GET /api/domain/{id}/{id}/tag_domain_association.json",
        "GET /api/tag_domain_association/{id}.json",
        "DELETE /api/tag_domain_association/{id}.json",
    ],
    "Position": [
        "POST /api/imageinstance/{id}/position.json",
        "GET /api/imageinstance/{id}/positions.json",
        "GET /api/sliceinstance/{id}/positions.json",
        "GET /api/position/{id}.json",
    ],
    "AnnotationAction": [
        "POST /api/annotation_action.json",
        "GET /api/imageinstance/{id}/annotation_action.json",
        "GET /api/sliceinstance/{id}/annotation_action.json",
        "GET /api/annotation_action/{id}.json",
    ],
    "ProjectConnection": [
        "POST /api/project/{id}/userconnection.json",
        "GET /api/project/{id}/userconnection/{id}.json",
    ],
    "ImageConsultation": [
        "POST /api/imageinstance/{id}/consultation.json",
        "GET /api/project/{id}/user/{id}/imageconsultation.json",
    ],
    "Software / SoftwareParameter / SoftwareProject": [
        "GET /api/software.json",
        "POST /api/software.json",
        "GET /api/software/{id}.json",
        "GET /api/software/{id}/parameter.json",
        "POST /api/softwareparameter.json",
        "GET /api/project/{id}/software.json",
        "POST /api/softwareproject.json",
    ],
    "Job / JobParameter / JobTemplate / JobData": [
        "GET /api/job.json",
        "POST /api/job.json",
        "GET /api/job/{id}.json",
        "PUT /api/job/{id}.json",
        "POST /api/jobparameter.json",
        "GET /api/jobtemplate.json",
        "POST /api/jobdata.json",
        "GET /api/job/{id}/jobdata.json",
    ],
    "CommandHistory": [
        "GET /api/commandhistory.json",
        "GET /api/project/{id}/commandhistory.json",
    ],
}

#: The SciTran container kinds a ``{c}`` in the routes below stands for.
CONTAINERS = ("projects", "sessions", "acquisitions", "analyses", "collections")

#: SciTran (scitran/core) route family -> its routes.
SCITRAN: dict[str, list[str]] = {
    "users": [
        "GET /api/users",
        "POST /api/users",
        "GET /api/users/self",
        "POST /api/users/self/key",
        "GET /api/users/{id}",
        "PUT /api/users/{id}",
        "DELETE /api/users/{id}",
        "GET /api/users/{id}/groups",
        "GET /api/users/{id}/projects",
        "GET /api/users/{id}/sessions",
    ],
    "groups": [
        "GET /api/groups",
        "POST /api/groups",
        "GET /api/groups/{id}",
        "PUT /api/groups/{id}",
        "DELETE /api/groups/{id}",
        "POST /api/groups/{id}/tags",
        "GET /api/groups/{id}/tags/{id}",
        "PUT /api/groups/{id}/tags/{id}",
        "DELETE /api/groups/{id}/tags/{id}",
        "POST /api/groups/{id}/permissions",
        "GET /api/groups/{id}/permissions/{id}",
        "PUT /api/groups/{id}/permissions/{id}",
        "DELETE /api/groups/{id}/permissions/{id}",
    ],
    "containers (projects, sessions, acquisitions, analyses, collections)": [
        "GET /api/{c}",
        "POST /api/{c}",
        "GET /api/{c}/{id}",
        "PUT /api/{c}/{id}",
        "DELETE /api/{c}/{id}",
    ],
    "container notes": [
        "POST /api/{c}/{id}/notes",
        "GET /api/{c}/{id}/notes/{id}",
        "PUT /api/{c}/{id}/notes/{id}",
        "DELETE /api/{c}/{id}/notes/{id}",
    ],
    "container tags": [
        "POST /api/{c}/{id}/tags",
        "GET /api/{c}/{id}/tags/{id}",
        "PUT /api/{c}/{id}/tags/{id}",
        "DELETE /api/{c}/{id}/tags/{id}",
    ],
    "container files": [
        "GET /api/{c}/{id}/files",
        "POST /api/{c}/{id}/files",
        "GET /api/{c}/{id}/files/{id}",
        "PUT /api/{c}/{id}/files/{id}",
        "DELETE /api/{c}/{id}/files/{id}",
        "POST /api/{c}/{id}/files/{id}/info",
        "GET /api/{c}/{id}/files/{id}/info",
    ],
    "container info": ["POST /api/{c}/{id}/info"],
    "container permissions (projects, collections)": [
        f"{m} /api/{c}/{{id}}/permissions{tail}"
        for c in ("projects", "collections")
        for m, tail in (("POST", ""), ("GET", "/{id}"), ("PUT", "/{id}"), ("DELETE", "/{id}"))
    ],
    "analyses through their parent": [
        f"{m} /api/{c}/{{id}}/analyses/{{id}}{tail}"
        for c in ("projects", "sessions", "acquisitions", "collections")
        for m, tail in (
            ("GET", ""),
            ("PUT", ""),
            ("DELETE", ""),
            ("POST", "/notes"),
            ("DELETE", "/notes/{id}"),
        )
    ],
    "subjects": ["GET /api/sessions/{id}/subject", "POST /api/sessions/{id}/subject/info"],
    "nested lists": [
        "GET /api/projects/{id}/sessions",
        "GET /api/sessions/{id}/acquisitions",
        "GET /api/collections/{id}/sessions",
        "GET /api/collections/{id}/acquisitions",
        "POST /api/{c}/{id}/analyses",
        "POST /api/projects/{id}/template",
        "DELETE /api/projects/{id}/template",
    ],
    "engine, gears, jobs, reaper uploads (out of scope)": [
        "POST /api/engine",
        "GET /api/gears",
        "GET /api/jobs",
        "POST /api/upload/reaper",
    ],
}


def _norm(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def served_routes() -> set[str]:
    """``METHOD /path`` (parameters normalised) of every route the server registers:
    the routes of its route modules, as create_app copies them into the app."""
    from desktop_app.server.app import ROUTE_MODULES

    out: set[str] = set()
    for module in ROUTE_MODULES:
        for route in module.router.routes:
            for method in getattr(route, "methods", None) or ():
                out.add(f"{method} {_norm(route.path)}")  # type: ignore[attr-defined]
    return out


def _expand(routes: list[str]) -> list[str]:
    out: list[str] = []
    for r in routes:
        out += [r.replace("{c}", c) for c in CONTAINERS] if "{c}" in r else [r]
    return out


def _table(title: str, reference: dict[str, list[str]], served: set[str]) -> list[str]:
    lines = [f"| {title} | supported | missing routes |", "|---|---|---|"]
    for name, templates in reference.items():
        routes = _expand(templates)
        missing = [r for r in routes if _norm(r) not in served]
        status = "yes" if not missing else ("no" if len(missing) == len(routes) else "partly")
        shown = ", ".join(f"`{r}`" for r in missing) or "—"
        lines.append(f"| {name} | {status} | {shown} |")
    return lines


def render() -> str:
    served = served_routes()
    lines = [
        BEGIN,
        "",
        "Generated by `scripts/api_compat_table.py` from the server's route table (checked by",
        "`tests/server/test_api_compat_table.py`); do not edit by hand.",
        "",
        *_table("Cytomine class", CYTOMINE, served),
        "",
        *_table("SciTran route family", SCITRAN, served),
        "",
        END,
    ]
    return "\n".join(lines)


def updated_doc(text: str) -> str:
    table = render()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + table + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n## 7. Compatibility\n\n" + table + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check docs/api.md is current")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    new = updated_doc(text)
    if args.check:
        if new != text:
            print("docs/api.md is stale: run python scripts/api_compat_table.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
