"""What the public may see of the budget, and the queries behind the budget pages and open data.

Everything public about money starts here, so the rule of what is published lives in one place:

- an *area* (submunicipality or neighbourhood) counts only when it is live, not behind a view
  restriction, and, for a neighbourhood, when its submunicipality counts too;
- a budget line counts only when its area counts (lines have no draft of their own);
- a work counts only when it is live, public and its neighbourhood counts; a line's link to a
  work that does not count is left out, the line itself stays.

Budget lines belong to the Spanish (source) pages. A page in any other language, or an alias,
shows the data of its Spanish source, found by ``translation_key``.

Every function runs a fixed number of queries, however many lines, works or areas there are.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

from budgets import charts
from budgets.models import BudgetLine
from home.models import HomePage
from home.visibility import is_restricted, restricted_paths
from languages.sources import source_page, translations_in
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from works.models import PublicWorkPage, WorkCategory

LINES_PER_PAGE = 100
ZERO = Decimal("0")

SCOPE_CITY = "ciudad"
SCOPE_SUBMUNICIPALITY = "subalcaldia"
SCOPE_NEIGHBORHOOD = "barrio"


# -- What is published ---------------------------------------------------------------------------


def scope_of(page):

    if isinstance(page, HomePage):
        return SCOPE_CITY
    if isinstance(page, SubmunicipalityPage):
        return SCOPE_SUBMUNICIPALITY
    if isinstance(page, NeighborhoodPage):
        return SCOPE_NEIGHBORHOOD
    return None


@dataclass
class Area:
    """A published area, as a plain row (no page instance needed)."""

    id: int
    path: str
    depth: int
    title: str
    url_path: str
    last_published_at: object
    scope: str
    translation_key: object = None

    @property
    def parent_path(self):
        return self.path[: -Page.steplen]


def published_areas(home, restricted=None):
    """The city's published areas (submunicipalities and neighbourhoods), keyed by id. One query.

    ``home`` is the Spanish home page; the result is in tree order.
    """

    if restricted is None:
        restricted = restricted_paths()
    if not home.live or is_restricted(home.path, restricted):
        return {}
    types = ContentType.objects.get_for_models(SubmunicipalityPage, NeighborhoodPage)
    scope_by_type = {
        types[SubmunicipalityPage].pk: SCOPE_SUBMUNICIPALITY,
        types[NeighborhoodPage].pk: SCOPE_NEIGHBORHOOD,
    }
    rows = (
        Page.objects.filter(
            path__startswith=home.path,
            depth__in=(home.depth + 1, home.depth + 2),
            locale_id=home.locale_id,
            live=True,
            content_type_id__in=scope_by_type,
        )
        .order_by("path")
        .values("id", "path", "depth", "title", "url_path", "last_published_at", "content_type_id", "translation_key")
    )
    areas = {}
    live_paths = set()
    for row in rows:
        scope = scope_by_type[row.pop("content_type_id")]
        area = Area(scope=scope, **row)
        if is_restricted(area.path, restricted):
            continue
        if scope == SCOPE_NEIGHBORHOOD and area.parent_path not in live_paths:
            continue  # its submunicipality is unpublished or private
        live_paths.add(area.path)
        areas[area.id] = area
    return areas


def areas_in(scope_page, areas):
    """The published areas inside ``scope_page`` (itself included when it is an area)."""
    return {pk: area for pk, area in areas.items() if area.path.startswith(scope_page.path)}


def budget_lines(scope_page, areas):
    """Budget lines of the published areas inside ``scope_page`` (a Spanish home/area page)."""

    return BudgetLine.objects.filter(area_id__in=list(areas_in(scope_page, areas)))


def rate(allocated, executed):
    """Executed as a percentage of allocated, to one decimal (None when nothing is allocated)."""
    if not allocated:
        return None
    return round(Decimal(executed) * 100 / Decimal(allocated), 1)


# -- The budget page ----------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a summary table: a category, a year or an area."""

    label: str
    allocated: Decimal = ZERO
    executed: Decimal = ZERO
    key: object = None
    url: str = ""
    population: int | None = None
    lines: int = 0

    @property
    def rate(self):
        return rate(self.allocated, self.executed)

    @property
    def per_resident(self):
        if not self.population:
            return None
        return (self.allocated / self.population).quantize(Decimal("0.01"))


@dataclass
class Sort:
    key: str
    label: str
    current: bool = False
    query: str = ""


SORTS = {
    # ?orden= value: (sort key, descending)
    "nombre": (lambda row: row.label.casefold(), False),
    "asignado": (lambda row: row.allocated, True),
    "ejecutado": (lambda row: row.executed, True),
    "tasa": (lambda row: row.rate if row.rate is not None else Decimal("-1"), True),
    "por_habitante": (lambda row: row.per_resident if row.per_resident is not None else Decimal("-1"), True),
}


def chosen_year(request, years):
    """The year asked for with ?anio=, else the latest year with data (None without data)."""
    value = request.GET.get("anio", "")
    if value.isdigit():
        return int(value)
    return max(years) if years else None


def localized_titles(translation_keys, locale):
    """Titles and pages in the reader's language for these translation keys, in one query."""
    if not translation_keys:
        return {}
    pages = Page.objects.filter(translation_key__in=list(translation_keys), locale=locale, live=True)
    return {page.translation_key: page for page in pages}


def category_names(rows, locale, default):
    """Names of the Spanish categories in ``rows`` in the reader's language (falling back to Spanish).

    One query, or none when the reader reads Spanish.
    """
    names = {row["category__translation_key"]: row["category__name"] for row in rows}
    if locale.pk != default.pk:
        for key, category in translations_in(WorkCategory, names, locale, fields=("name",)).items():
            names[key] = category.name
    return names


@dataclass
class BudgetTotals:
    """One fiscal year's totals for the neighbourhood's budget lines."""

    year: int | None = None
    allocated: Decimal = ZERO
    executed: Decimal = ZERO

    @property
    def rate(self):
        return rate(self.allocated, self.executed)


def budget_totals(page, today):
    """This year's budget totals of the neighbourhood (or the latest year's, when this year has none).

    Counts only what the budget pages count (see ``budget_summary``); an alias or translation shows
    the figures of its Spanish source. A fixed number of queries.
    """
    source = source_page(page, Locale.get_default())
    if source is None:
        return BudgetTotals()
    home = Page.objects.get(path=source.path[: Page.steplen * 2])
    areas = published_areas(home)
    if source.pk not in areas:
        return BudgetTotals()
    by_year = {
        row["fiscal_year"]: row
        for row in budget_lines(source, areas)
        .values("fiscal_year")
        .annotate(allocated=Sum("amount_allocated"), executed=Sum("amount_executed"))
        .order_by("fiscal_year")
    }
    if not by_year:
        return BudgetTotals()
    year = today.year if today.year in by_year else max(by_year)
    return BudgetTotals(year=year, allocated=by_year[year]["allocated"], executed=by_year[year]["executed"])


@dataclass
class BudgetSummary:
    page: Page
    source: Page
    scope: str
    years: list = field(default_factory=list)
    year: int | None = None
    total: Row = None
    categories: list = field(default_factory=list)
    by_year: list = field(default_factory=list)
    lines: object = None
    works: list = field(default_factory=list)
    comparison: list = field(default_factory=list)
    comparison_sorts: list = field(default_factory=list)
    comparison_has_population: bool = False
    order: str = "nombre"


def budget_summary(request, page):
    """All the budget page shows for ``page`` (a home, submunicipality or neighbourhood page)."""

    locale = Locale.get_active()
    default = Locale.get_default()
    source = source_page(page, default)
    scope = scope_of(page)
    summary = BudgetSummary(page=page, source=source, scope=scope, total=Row(label=_("Total")))
    if source is None:
        return summary
    restricted = restricted_paths()
    home = source if scope == SCOPE_CITY else Page.objects.get(path=source.path[: Page.steplen * 2])
    areas = published_areas(home, restricted)
    if scope != SCOPE_CITY and source.pk not in areas:
        return summary
    lines = budget_lines(source, areas)

    # Every year, for the year links and the "execution over the years" chart.
    for row in (
        lines.values("fiscal_year")
        .annotate(allocated=Sum("amount_allocated"), executed=Sum("amount_executed"))
        .order_by("fiscal_year")
    ):
        summary.by_year.append(
            Row(
                label=str(row["fiscal_year"]),
                key=row["fiscal_year"],
                allocated=row["allocated"],
                executed=row["executed"],
            )
        )
    summary.years = [row.key for row in summary.by_year]
    summary.year = chosen_year(request, summary.years)
    if summary.year is None:
        return summary
    year_lines = lines.filter(fiscal_year=summary.year)

    # Totals and the breakdown by category, in one query.
    category_rows = list(
        year_lines.values("category__translation_key", "category__name", "category__code")
        .annotate(allocated=Sum("amount_allocated"), executed=Sum("amount_executed"), lines=Count("id"))
        .order_by("category__code")
    )
    names = category_names(category_rows, locale, default)
    for row in category_rows:
        summary.categories.append(
            Row(
                label=names[row["category__translation_key"]],
                key=row["category__code"],
                allocated=row["allocated"],
                executed=row["executed"],
                lines=row["lines"],
            )
        )
    summary.categories.sort(key=lambda row: (-row.allocated, row.label))
    summary.total.allocated = sum((row.allocated for row in summary.categories), ZERO)
    summary.total.executed = sum((row.executed for row in summary.categories), ZERO)
    summary.total.lines = sum(row.lines for row in summary.categories)

    # The lines, a page at a time, each with its category and (published) work.
    paginator = Paginator(
        year_lines.select_related("category", "area", "work").order_by("area__path", "code", "pk"), LINES_PER_PAGE
    )
    summary.lines = paginator.get_page(request.GET.get("pagina"))
    work_by_key = {}
    area_paths = {area.path for area in areas.values()}
    funded = [
        line.work
        for line in summary.lines
        if line.work_id
        and line.work.live
        and not is_restricted(line.work.path, restricted)
        and line.work.path[: -Page.steplen] in area_paths
    ]
    translated_works = {}
    if funded and locale.pk != source.locale_id:
        translated_works = {
            work.translation_key: work
            for work in PublicWorkPage.objects.filter(
                translation_key__in=[work.translation_key for work in funded], locale=locale, live=True
            )
        }
    for work in funded:
        work_by_key[work.pk] = translated_works.get(work.translation_key, work)
    for line in summary.lines:
        line.display_category = names.get(line.category.translation_key, line.category.name)
        line.public_work = work_by_key.get(line.work_id)
    summary.works = sorted({work.pk: work for work in work_by_key.values()}.values(), key=lambda work: work.title)

    # Areas side by side: a submunicipality's neighbourhoods, or the city's submunicipalities.
    if scope in (SCOPE_CITY, SCOPE_SUBMUNICIPALITY):
        summary.comparison, summary.comparison_has_population = _comparison(
            request, source, home.get_url(request), areas, year_lines, locale
        )
        summary.order = request.GET.get("orden") if request.GET.get("orden") in SORTS else "nombre"
        key, descending = SORTS[summary.order]
        summary.comparison.sort(key=key, reverse=descending)
        summary.comparison_sorts = [
            Sort(key=name, label=label, current=name == summary.order, query=f"?anio={summary.year}&orden={name}")
            for name, label in (
                ("nombre", _("Area")),
                ("asignado", _("Allocated")),
                ("ejecutado", _("Executed")),
                ("tasa", _("Execution rate")),
                ("por_habitante", _("Allocated per resident")),
            )
        ]
    return summary


def _comparison(request, source, home_url, areas, year_lines, locale):
    """One row per child area with its totals for the year (and its population, when known)."""

    children = [area for area in areas.values() if area.parent_path == source.path]
    child_paths = {area.path: area for area in children}
    prefix_length = len(source.path) + Page.steplen
    rows = {area.path: Row(label=area.title, key=area.id) for area in children}

    # Sum each line into the child area it falls under (the child itself or one of its neighbourhoods).
    sums = year_lines.values("area__path").annotate(
        allocated=Sum("amount_allocated"), executed=Sum("amount_executed"), lines=Count("id")
    )
    for row in sums:
        child = child_paths.get(row["area__path"][:prefix_length])
        if child:
            target = rows[child.path]
            target.allocated += row["allocated"]
            target.executed += row["executed"]
            target.lines += row["lines"]

    # Population: a neighbourhood's own, or the sum over a submunicipality's neighbourhoods when all are known.
    neighbourhood_ids = [
        area.id for area in areas.values() if area.scope == SCOPE_NEIGHBORHOOD and area.path.startswith(source.path)
    ]
    populations = dict(NeighborhoodPage.objects.filter(pk__in=neighbourhood_ids).values_list("path", "population"))
    has_population = False
    for path, row in rows.items():
        known = [
            population for neighbourhood_path, population in populations.items() if neighbourhood_path.startswith(path)
        ]
        if known and all(known):
            row.population = sum(known)
            has_population = True

    # Names and links in the reader's language, to each area's budget page.
    translated = (
        localized_titles([area.translation_key for area in children], locale) if locale.pk != source.locale_id else {}
    )
    for path, row in rows.items():
        area = child_paths[path]
        page = translated.get(area.translation_key)
        if page is not None:
            row.label = page.title
            row.url = page.get_url(request) + "presupuesto/"
        else:
            row.url = page_url_from_path(home_url, area.url_path) + "presupuesto/"
    return list(rows.values()), has_population


def page_url_from_path(home_url, url_path):
    """The URL of a page of the home at ``home_url``, from its ``url_path``, without loading the page.

    ``url_path`` is "/<home slug>/<area>/<...>/"; the home's own URL replaces its first segment.
    """
    return iri_to_uri(home_url + url_path[url_path.index("/", 1) + 1 :])


def budget_charts(summary):
    """The two charts of the budget page, as accessible SVG (see ``charts``)."""
    result = {}
    if summary.categories:
        result["categories"] = charts.grouped_bar_chart(
            [(row.label, row.allocated, row.executed) for row in summary.categories],
            chart_id="budget-categories",
            title=_("Allocated and executed by category, %(year)s") % {"year": summary.year},
            description=charts.describe_categories(summary.categories, summary.year),
            series=(_("Allocated"), _("Executed")),
        )
    if summary.by_year:
        result["years"] = charts.rate_column_chart(
            [(row.label, row.rate) for row in summary.by_year],
            chart_id="budget-years",
            title=_("Execution rate over the years"),
            description=charts.describe_years(summary.by_year),
        )
    return result
