"""The place tree: submunicipalities, their neighbourhoods and the news of both."""

from .feedback import EmbeddedFeedbackMixin
from .news import NewsPage
from .places import NeighborhoodPage, SubmunicipalityPage

__all__ = ["EmbeddedFeedbackMixin", "NeighborhoodPage", "NewsPage", "SubmunicipalityPage"]
