"""The public budget page of the city, a submunicipality or a neighbourhood."""

from django.template.response import TemplateResponse

from budgets.summary import budget_charts, budget_summary
from home.licence import open_data_license


def budget_view(page, request):
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
