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
from decimal import Decimal

import segno
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page

from neighborhoods import budgets

MAX_WORKS = 8

# Works that are moving first: what neighbours ask about; finished and cancelled ones last.
STATUS_ORDER = ["in_progress", "paused", "planned", "completed", "cancelled"]


@dataclass
class BudgetTotals:
    """One fiscal year's totals for the neighbourhood's budget lines."""

    year: int | None = None
    allocated: Decimal = budgets.ZERO
    executed: Decimal = budgets.ZERO

    @property
    def rate(self):
        return budgets.rate(self.allocated, self.executed)


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


def open_consultation(page, request):
    """The open consultation closest to closing, of the neighbourhood or of its whole
    submunicipality, as a ``Consultation`` in the page's language (None when there is none).

    Two queries: the consultation and its coming hearings.
    """
    from neighborhoods.models import ConsultationPage

    now = timezone.now()
    parent_path = page.path[: -Page.steplen]
    consultation = (
        ConsultationPage.objects.live()
        .public()
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


def qr_svg(url):
    """An inline SVG QR code of ``url``: black on white, sized by CSS, with the URL as its title."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", svgclass="qr-code", lineclass=None, title=url
    )
    return mark_safe(svg)  # noqa: S308 - segno writes the SVG and escapes the title itself


def budget_totals(page, today):
    """This year's budget totals of the neighbourhood (or the latest year's, when this year has none).

    Counts only what the budget pages count (see ``budgets``); an alias or translation shows
    the figures of its Spanish source. A fixed number of queries.
    """
    source = budgets.source_page(page, Locale.get_default())
    if source is None:
        return BudgetTotals()
    home = Page.objects.get(path=source.path[: Page.steplen * 2])
    areas = budgets.published_areas(home)
    if source.pk not in areas:
        return BudgetTotals()
    by_year = {
        row["fiscal_year"]: row
        for row in budgets.budget_lines(source, areas)
        .values("fiscal_year")
        .annotate(allocated=Sum("amount_allocated"), executed=Sum("amount_executed"))
        .order_by("fiscal_year")
    }
    if not by_year:
        return BudgetTotals()
    year = today.year if today.year in by_year else max(by_year)
    return BudgetTotals(year=year, allocated=by_year[year]["allocated"], executed=by_year[year]["executed"])


def bulletin_works(page):
    """The works to list (at most ``MAX_WORKS``, moving ones first) and how many there are in all."""
    works = page.works()
    order = Case(
        *[When(status=status, then=Value(index)) for index, status in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    listed = list(works.annotate(status_order=order).order_by("status_order", "title")[:MAX_WORKS])
    return listed, works.count()  # counted even when all fit: the same queries for 3 works or 300


def bulletin_context(page, request):
    from neighborhoods.models import NewsPage, SubmunicipalityPage

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
        "latest_news": NewsPage.objects.child_of(page).live().public().order_by("-date", "-pk").first(),
        "consultation": open_consultation(page, request),
        "printed_on": today,
        "page_url": page_url,
        "qr_svg": qr_svg(page_url),
    }


def bulletin_view(page, request):
    """The bulletin of a neighbourhood page (its ``boletin/`` route), in the language it is served in."""
    return TemplateResponse(request, "pages/neighborhood_bulletin.html", bulletin_context(page, request))
