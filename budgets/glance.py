"""What the neighbourhood page answers at a glance.

How many works there are in each status, the latest progress update, this year's budget
(allocated and executed, counted as the budget pages count it), and how to reach the
submunicipality's office and the neighbourhood council. It joins works and budget figures, so it
lives in the lowest app that knows both.

Everything here works on the list of works the page already loaded, plus a fixed number of
queries, however many works the neighbourhood has.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from wagtail.models import Page

from budgets.summary import budget_totals, rate
from neighborhoods.models import SubmunicipalityPage
from works.filters import Choice, filter_query
from works.models import PublicWorkUpdate, WorkStatus


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
        return rate(self.allocated, self.executed)


def at_a_glance(page: Page, works: list) -> Glance:
    """The counts by status, latest update, this year's budget and the submunicipality, for ``page``.

    Seven queries: the latest update, the budget as the budget pages count it (five, see
    ``budgets.summary.budget_totals``; one more in another language, for the Spanish source) and the
    submunicipality.
    """
    today = timezone.localdate()
    counts = Counter(work.status for work in works)
    statuses = [
        Choice(value, str(label), counts[value], filter_query(value, ""))
        for value, label in WorkStatus.choices
        if counts[value]
    ]
    glance = Glance(statuses=statuses, total=len(works), year=today.year)

    by_pk = {work.pk: work for work in works}
    if by_pk:
        update = (
            PublicWorkUpdate.objects.filter(page_id__in=list(by_pk)).order_by("-date", "-sort_order", "-pk").first()
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
