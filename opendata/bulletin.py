"""The printable bulletin of a neighbourhood: one A4 page for neighbours who are not online.

A council leader prints it and pins it up at the market or the sports field. It says what the
neighbourhood page says, in short: key facts and contacts, the works and how far along they
are, this year's budget, the latest news, the date it was printed, and a QR code (generated
here as SVG, no outside service) back to the page in the bulletin's language.

The page is a route of ``NeighborhoodPage`` (``boletin/``); it needs no JavaScript and runs a
fixed number of queries, however many works the neighbourhood has (it lists at most
``MAX_WORKS`` and says how many more there are).

Consultations: when the neighbourhood (or its whole submunicipality) has an open public
consultation, the bulletin shows its question, when it closes, the dates of its coming hearings
(neighbours without a connection are the ones who most need them on paper) and a second QR code
to the consultation's page, where the form is.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from wagtail.models import Page

import segno

from budgets.summary import budget_totals
from home.visibility import public_pages
from neighborhoods.models import NewsPage, SubmunicipalityPage
from participation.models import ConsultationPage
from works.models import published_works

MAX_WORKS = 8

# Works that are moving first: what neighbours ask about; finished and cancelled ones last.
STATUS_ORDER = ["in_progress", "paused", "planned", "completed", "cancelled"]


@dataclass
class Consultation:
    """What the bulletin shows of an open consultation."""

    title: str
    question: str
    url: str = ""
    closes: datetime.datetime | None = None
    hearings: list = field(default_factory=list)  # [(datetime, place, address), ...]

    @property
    def qr_svg(self):
        return qr_svg(self.url) if self.url else ""


def open_consultation(page: Page, request: HttpRequest) -> Consultation | None:
    """The open consultation closest to closing, of the neighbourhood or of its whole
    submunicipality, as a ``Consultation`` in the page's language (None when there is none).

    Two queries: the consultation and its coming hearings.
    """

    now = timezone.now()
    parent_path = page.path[: -Page.steplen]
    consultation = (
        public_pages(ConsultationPage.objects)
        .filter(locale_id=page.locale_id, opens_at__lte=now, closes_at__gt=now)
        .filter(Q(path__startswith=page.path) | Q(path__startswith=parent_path, depth=page.depth))
        .order_by("closes_at", "path")
        .first()
    )
    if consultation is None:
        return None
    hearings = consultation.hearings.filter(starts_at__gte=now).order_by("starts_at")
    return Consultation(
        title=consultation.title,
        question=consultation.question,
        url=request.build_absolute_uri(consultation.get_url(request)),
        closes=consultation.closes_at,
        hearings=[(hearing.starts_at, hearing.place, hearing.address) for hearing in hearings],
    )


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url``: black on white, sized by CSS, with the URL as its title."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", svgclass="qr-code", lineclass=None, title=url
    )
    return mark_safe(svg)  # noqa: S308 - segno writes the SVG and escapes the title itself


def bulletin_works(page):
    """The works to list (at most ``MAX_WORKS``, moving ones first) and how many there are in all."""
    works = published_works(page)
    order = Case(
        *[When(status=status, then=Value(index)) for index, status in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    listed = list(works.annotate(status_order=order).order_by("status_order", "title")[:MAX_WORKS])
    return listed, works.count()  # counted even when all fit: the same queries for 3 works or 300


def bulletin_context(page: Page, request: HttpRequest) -> dict:

    today = timezone.localdate()
    works, works_total = bulletin_works(page)
    page_url = request.build_absolute_uri(page.get_url(request))
    return {
        "page": page,
        "self": page,
        "request": request,
        "submunicipality": SubmunicipalityPage.objects.filter(path=page.path[: -Page.steplen]).first(),
        "works": works,
        "works_total": works_total,
        "works_more": works_total - len(works),
        "budget": budget_totals(page, today),
        "latest_news": public_pages(NewsPage.objects.child_of(page)).order_by("-date", "-pk").first(),
        "consultation": open_consultation(page, request),
        "printed_on": today,
        "page_url": page_url,
        "qr_svg": qr_svg(page_url),
    }


def bulletin_view(page: Page, request: HttpRequest) -> TemplateResponse:
    """The bulletin of a neighbourhood page (its ``boletin/`` route), in the language it is served in."""
    return TemplateResponse(request, "opendata/bulletin.html", bulletin_context(page, request))
