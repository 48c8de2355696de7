"""The public budget page of the city, a submunicipality or a neighbourhood."""

from django.http import HttpRequest
from django.template.response import TemplateResponse

from wagtail.models import Page

from budgets.summary import budget_charts, budget_summary
from home.licence import open_data_license


def budget_view(page: Page, request: HttpRequest) -> TemplateResponse:
    """The budget page of a home, submunicipality or neighbourhood page (its ``presupuesto/`` route)."""
    summary = budget_summary(request, page)
    context = {
        "page": page,
        "self": page,
        "request": request,
        "budget": summary,
        "charts": budget_charts(summary),
        "licence": open_data_license(),
    }
    return TemplateResponse(request, "budgets/budget_page.html", context)
