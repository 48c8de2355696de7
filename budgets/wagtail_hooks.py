"""Budget lines in the admin; this year's budget at the top of a neighbourhood's page."""

from wagtail import hooks

from budgets.glance import at_a_glance
from budgets.viewsets import BudgetLineViewSet


@hooks.register("register_admin_viewset")
def register_budget_line_viewset():
    return BudgetLineViewSet()


@hooks.register("neighborhood_page_context", order=10)
def add_glance(page, request, context):
    """The summary at the top of the page, from the works the works app listed (``order`` after it)."""
    context["glance"] = at_a_glance(page, context["works"])
