"""What the neighbourhood page answers at a glance, and its works list filtered by plain links.

At a glance: how many works there are in each status, the latest progress update, this year's
budget (allocated and executed, counted as the budget pages count it), and how to reach the
submunicipality's office and the neighbourhood council.

The works list takes ``?estado=<status>&categoria=<category code>`` (server-side, no
JavaScript). A value the page does not know is ignored, with a note saying so, never an error.

Everything here works on the list of works the page already loaded, plus a fixed number of
queries, however many works the neighbourhood has.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

STATUS_PARAM = "estado"
CATEGORY_PARAM = "categoria"
ANCHOR = "#obras"


@dataclass
class Choice:
    """One filter link: a status or a category, how many works it has, and where it leads."""

    value: str
    label: str
    count: int
    url: str
    active: bool = False
    remove_url: str = ""


@dataclass
class WorksFilter:
    """The works to list and the links that filter them."""

    works: list
    total: int
    statuses: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    status: Choice | None = None
    category: Choice | None = None
    clear_url: str = ""
    notes: list = field(default_factory=list)

    @property
    def active(self):
        return self.status is not None or self.category is not None


def _query(status, category):
    params = {}
    if status:
        params[STATUS_PARAM] = status
    if category:
        params[CATEGORY_PARAM] = category
    return ("?" + urlencode(params) if params else "?") + ANCHOR


def filter_works(request, works):
    """Filter ``works`` (each with ``display_category`` set) by the request's ``estado`` and ``categoria``.

    Each status link counts the works of that status within the chosen category, and each
    category link those of that category within the chosen status.
    """
    from neighborhoods.models.works import WorkStatus

    result = WorksFilter(works=works, total=len(works))
    notes = []
    status = request.GET.get(STATUS_PARAM, "").strip()
    if status and status not in WorkStatus.values:
        notes.append(_("The status “%(value)s” is not one this list knows: it was ignored.") % {"value": status[:40]})
        status = ""

    categories = {}
    for work in works:
        categories.setdefault(work.display_category.code, work.display_category)
    category = request.GET.get(CATEGORY_PARAM, "").strip()
    if category and category not in categories:
        # An id is accepted too, in any language of the category.
        by_id = {
            str(pk): work.display_category.code
            for work in works
            for pk in (work.category_id, work.display_category.pk)
        }
        if category in by_id:
            category = by_id[category]
        else:
            notes.append(
                _("No work here is in the category “%(value)s”: it was ignored.") % {"value": category[:40]}
            )
            category = ""

    in_category = [work for work in works if not category or work.display_category.code == category]
    in_status = [work for work in works if not status or work.status == status]
    status_counts = Counter(work.status for work in in_category)
    category_counts = Counter(work.display_category.code for work in in_status)

    for value, label in WorkStatus.choices:
        if status_counts[value] or value == status:
            choice = Choice(value, str(label), status_counts[value], _query(value, category), value == status)
            result.statuses.append(choice)
            if choice.active:
                result.status = choice
    for code, item in sorted(categories.items(), key=lambda pair: pair[1].name.casefold()):
        if category_counts[code] or code == category:
            choice = Choice(code, item.name, category_counts[code], _query(status, code), code == category)
            result.categories.append(choice)
            if choice.active:
                result.category = choice
    if result.status:
        result.status.remove_url = _query("", category)
    if result.category:
        result.category.remove_url = _query(status, "")
    result.works = [work for work in in_category if not status or work.status == status]
    result.clear_url = _query("", "")
    result.notes = notes
    return result


@dataclass
class Glance:
    """What the top of the neighbourhood page says."""

    statuses: list
    total: int
    latest_update: object = None
    latest_update_work: object = None
    year: int = None
    budget_year: int | None = None
    allocated: Decimal = Decimal("0")
    executed: Decimal = Decimal("0")
    submunicipality: Page | None = None

    @property
    def has_budget(self):
        return self.budget_year == self.year

    @property
    def rate(self):
        from neighborhoods.budgets import rate

        return rate(self.allocated, self.executed)


def at_a_glance(page, works):
    """The counts by status, latest update, this year's budget and the submunicipality, for ``page``.

    Seven queries: the latest update, the budget as the budget pages count it (five, see
    ``bulletin.budget_totals``; one more in another language, for the Spanish source) and the
    submunicipality.
    """
    from neighborhoods.bulletin import budget_totals
    from neighborhoods.models import PublicWorkUpdate, SubmunicipalityPage, WorkStatus

    today = timezone.localdate()
    counts = Counter(work.status for work in works)
    statuses = [
        Choice(value, str(label), counts[value], _query(value, "")) for value, label in WorkStatus.choices if counts[value]
    ]
    glance = Glance(statuses=statuses, total=len(works), year=today.year)

    by_pk = {work.pk: work for work in works}
    if by_pk:
        update = (
            PublicWorkUpdate.objects.filter(page_id__in=list(by_pk))
            .order_by("-date", "-sort_order", "-pk")
            .first()
        )
        if update is not None:
            glance.latest_update = update
            glance.latest_update_work = by_pk.get(update.page_id)

    totals = budget_totals(page, today)
    if totals.year == today.year:
        glance.budget_year = totals.year
        glance.allocated = totals.allocated
        glance.executed = totals.executed
    glance.submunicipality = SubmunicipalityPage.objects.filter(path=page.path[: -Page.steplen]).first()
    return glance
