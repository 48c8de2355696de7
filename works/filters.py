"""A neighbourhood's works list, filtered by plain links: ``?estado=<status>&categoria=<code>``.

Server-side, no JavaScript. A value the page does not know is ignored, with a note saying so,
never an error. It works on the list of works the page already loaded: no query.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext as _

from works.models import WorkStatus

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


def filter_query(status: str, category: str) -> str:
    params = {}
    if status:
        params[STATUS_PARAM] = status
    if category:
        params[CATEGORY_PARAM] = category
    return ("?" + urlencode(params) if params else "?") + ANCHOR


def filter_works(request: HttpRequest, works: list) -> WorksFilter:
    """Filter ``works`` (each with ``display_category`` set) by the request's ``estado`` and ``categoria``.

    Each status link counts the works of that status within the chosen category, and each
    category link those of that category within the chosen status.
    """
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
            str(pk): work.display_category.code for work in works for pk in (work.category_id, work.display_category.pk)
        }
        if category in by_id:
            category = by_id[category]
        else:
            notes.append(_("No work here is in the category “%(value)s”: it was ignored.") % {"value": category[:40]})
            category = ""

    in_category = [work for work in works if not category or work.display_category.code == category]
    in_status = [work for work in works if not status or work.status == status]
    status_counts = Counter(work.status for work in in_category)
    category_counts = Counter(work.display_category.code for work in in_status)

    for value, label in WorkStatus.choices:
        if status_counts[value] or value == status:
            choice = Choice(value, str(label), status_counts[value], filter_query(value, category), value == status)
            result.statuses.append(choice)
            if choice.active:
                result.status = choice
    for code, item in sorted(categories.items(), key=lambda pair: pair[1].name.casefold()):
        if category_counts[code] or code == category:
            choice = Choice(code, item.name, category_counts[code], filter_query(status, code), code == category)
            result.categories.append(choice)
            if choice.active:
                result.category = choice
    if result.status:
        result.status.remove_url = filter_query("", category)
    if result.category:
        result.category.remove_url = filter_query(status, "")
    result.works = [work for work in in_category if not status or work.status == status]
    result.clear_url = filter_query("", "")
    result.notes = notes
    return result
