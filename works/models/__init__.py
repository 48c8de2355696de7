"""Public works, their photos, documents and progress updates, and the snippets they share."""

from .snippets import Contractor, WorkCategory
from .works import (
    PublicWorkDocument,
    PublicWorkPage,
    PublicWorkPhoto,
    PublicWorkUpdate,
    WorkStatus,
    published_works,
)

__all__ = [
    "Contractor",
    "PublicWorkDocument",
    "PublicWorkPage",
    "PublicWorkPhoto",
    "PublicWorkUpdate",
    "WorkCategory",
    "WorkStatus",
    "published_works",
]
