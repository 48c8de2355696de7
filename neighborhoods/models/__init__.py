"""Models of the place tree and all that hangs off it, one module per topic."""

from .budgets import BudgetLine
from .governance import AreaTeam
from .news import NewsPage
from .participation import (
    Channel,
    ConsultationFormField,
    ConsultationHearing,
    ConsultationPage,
    ConsultationStatus,
    FeedbackFormField,
    FeedbackFormPage,
    Submission,
)
from .places import NeighborhoodPage, SubmunicipalityPage
from .snippets import Contractor, WorkCategory
from .works import PublicWorkDocument, PublicWorkPage, PublicWorkPhoto, PublicWorkUpdate, WorkStatus

__all__ = [
    "AreaTeam",
    "BudgetLine",
    "Channel",
    "ConsultationFormField",
    "ConsultationHearing",
    "ConsultationPage",
    "ConsultationStatus",
    "FeedbackFormField",
    "FeedbackFormPage",
    "Submission",
    "Contractor",
    "NeighborhoodPage",
    "NewsPage",
    "PublicWorkDocument",
    "PublicWorkPage",
    "PublicWorkPhoto",
    "PublicWorkUpdate",
    "SubmunicipalityPage",
    "WorkCategory",
    "WorkStatus",
]
