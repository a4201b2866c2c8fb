"""THE data model: one SQLAlchemy schema for the desktop cache and the server.

Importing this package imports every module, so ``Base.metadata`` is complete (the
migrations and ``create_all`` rely on that).  See docs/data-model.md.
"""

from __future__ import annotations

from desktop_app.model import sync  # noqa: F401  (tables of the sync machinery)
from desktop_app.model.activity import (
    ImageConsultation,
    LastUserPosition,
    ProjectConnection,
    UserPosition,
)
from desktop_app.model.annotation import (
    AlgoAnnotation,
    AlgoAnnotationTerm,
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotation,
    ReviewedAnnotationTerm,
    ReviewStatus,
    UserAnnotation,
)
from desktop_app.model.annotation_links import (
    AnnotationAction,
    AnnotationFilter,
    AnnotationGroup,
    AnnotationLink,
    AnnotationTrack,
    Track,
)
from desktop_app.model.attachment import (
    AttachedFile,
    Description,
    ImageMetadata,
    Property,
    Tag,
    TagDomainAssociation,
)
from desktop_app.model.base import Base, SyncState
from desktop_app.model.history import Command, CommandHistory, Task, Version
from desktop_app.model.image import (
    AbstractImage,
    AbstractSlice,
    CompanionFile,
    ImageGroup,
    ImageGroupImageInstance,
    ImageInstance,
    ImageSequence,
    ImageServer,
    SliceInstance,
    Storage,
    UploadedFile,
    UploadedFileStatus,
)
from desktop_app.model.ontology import Ontology, Relation, RelationTerm, Term
from desktop_app.model.project import Discipline, Project, ProjectMember, ProjectMode
from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerFile,
    ContainerPermission,
    ContainerType,
    Device,
    Ethnicity,
    FileOriginType,
    Group,
    GroupPermission,
    Note,
    PendingPermission,
    Race,
    Session,
    Sex,
    Subject,
)
from desktop_app.model.security import (
    Access,
    AclEntry,
    AclMask,
    Authority,
    Role,
    RoleName,
    User,
    UserJob,
    UserRole,
)
from desktop_app.model.software import (
    Job,
    JobData,
    JobParameter,
    JobStatus,
    JobTemplate,
    Software,
    SoftwareParameter,
    SoftwareProject,
)

__all__ = [
    "AbstractImage",
    "AbstractSlice",
    "Access",
    "AnnotationAction",
    "AnnotationFilter",
    "AnnotationGroup",
    "AnnotationLink",
    "AnnotationTrack",
    "Track",
    "AclEntry",
    "AclMask",
    "Acquisition",
    "AlgoAnnotation",
    "AlgoAnnotationTerm",
    "Analysis",
    "Annotation",
    "AnnotationKind",
    "AnnotationTerm",
    "AttachedFile",
    "Authority",
    "Base",
    "Collection",
    "Command",
    "CommandHistory",
    "CompanionFile",
    "ContainerFile",
    "ContainerPermission",
    "ContainerType",
    "Description",
    "Device",
    "DecisionRole",
    "Discipline",
    "Ethnicity",
    "FileOriginType",
    "Group",
    "GroupPermission",
    "ImageConsultation",
    "ImageGroup",
    "ImageGroupImageInstance",
    "ImageInstance",
    "ImageMetadata",
    "ImageSequence",
    "ImageServer",
    "Job",
    "JobData",
    "JobParameter",
    "JobStatus",
    "JobTemplate",
    "LastUserPosition",
    "Note",
    "Ontology",
    "PendingPermission",
    "Project",
    "ProjectConnection",
    "ProjectMember",
    "ProjectMode",
    "Property",
    "Race",
    "Relation",
    "RelationTerm",
    "ReviewDecision",
    "ReviewStatus",
    "ReviewedAnnotation",
    "ReviewedAnnotationTerm",
    "Role",
    "RoleName",
    "Session",
    "Sex",
    "SliceInstance",
    "Software",
    "SoftwareParameter",
    "SoftwareProject",
    "Storage",
    "Subject",
    "SyncState",
    "Tag",
    "TagDomainAssociation",
    "Task",
    "Term",
    "UploadedFile",
    "UploadedFileStatus",
    "User",
    "UserAnnotation",
    "UserJob",
    "UserPosition",
    "UserRole",
    "Verdict",
    "Version",
]


# Ids are never reused (Cytomine's are not either): a client that saw id 17 deleted must
# never see a different row come back as 17, and the cache's command log refers to rows
# by key.  SQLite reuses the highest rowid after a delete unless tables AUTOINCREMENT.
for _table in Base.metadata.tables.values():
    _table.dialect_kwargs["sqlite_autoincrement"] = True
