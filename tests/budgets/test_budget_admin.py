"""Budget lines in the admin: each area team sees and changes only its own submunicipality's lines.

Two areas, A and B, each with a neighbourhood, Editors and Reviewers. Every rule is checked at
the permission-policy / queryset level and over HTTP, both ways (A's people on A's lines, and
on B's).
"""

from decimal import Decimal

from django.contrib.auth.models import Permission
from django.urls import reverse

from wagtail.models import Locale

import pytest

from budgets.models import BudgetLine
from budgets.permissions import (
    area_pages_for_user,
    budget_line_policy,
    grant_all_budget_permissions,
    grant_budget_permissions,
)
from teams.models import AreaTeam
from tests import factories

pytestmark = pytest.mark.django_db


class Area:
    def __init__(self, letter, category):
        self.page = factories.submunicipality(title=f"Subalcaldía {letter}")
        self.team = AreaTeam.objects.get(translation_key=self.page.translation_key)
        self.neighborhood = factories.neighborhood(self.page, title=f"Barrio {letter}")
        self.line = factories.budget_line(self.neighborhood, code=f"PRE-{letter}-1", category=category)
        self.area_line = factories.budget_line(self.page, code=f"PRE-{letter}-2", category=category)
        self.editor = factories.user(f"editor_{letter.lower()}", self.team.editors)
        self.reviewer = factories.user(f"revisor_{letter.lower()}", self.team.reviewers)


@pytest.fixture
def category():
    return factories.category("Vías", code="roads")


@pytest.fixture
def a(category):
    return Area("A", category)


@pytest.fixture
def b(a, category):
    return Area("B", category)


def codenames(group):
    return set(group.permissions.filter(content_type__model="budgetline").values_list("codename", flat=True))


# --- Permissions of the teams ----------------------------------------------------------------


def test_a_new_team_gets_budget_permissions_editors_without_delete(a):
    assert codenames(a.team.editors) == {"add_budgetline", "change_budgetline"}
    assert codenames(a.team.reviewers) == {"add_budgetline", "change_budgetline", "delete_budgetline"}


def test_granting_again_is_harmless_and_completes_teams_made_before(a):
    a.team.editors.permissions.remove(*Permission.objects.filter(codename__endswith="_budgetline"))
    assert codenames(a.team.editors) == set()

    assert grant_all_budget_permissions() == 1
    grant_budget_permissions(a.team)

    assert codenames(a.team.editors) == {"add_budgetline", "change_budgetline"}
    assert a.team.editors.permissions.filter(codename="add_budgetline").count() == 1


# --- The policy, at the queryset level -------------------------------------------------------


def test_policy_gives_each_team_its_own_lines_only(a, b):
    policy = budget_line_policy()
    for person, own, other in ((a.editor, a, b), (a.reviewer, a, b), (b.editor, b, a), (b.reviewer, b, a)):
        lines = set(policy.instances_user_has_any_permission_for(person, ["change"]))
        assert lines == {own.line, own.area_line}
        assert policy.user_has_permission_for_instance(person, "change", own.line)
        assert not policy.user_has_permission_for_instance(person, "change", other.line)
        assert not policy.user_has_permission_for_instance(person, "change", other.area_line)


def test_only_reviewers_may_delete_and_only_their_own_lines(a, b):
    policy = budget_line_policy()
    assert not policy.user_has_permission_for_instance(a.editor, "delete", a.line)
    assert policy.user_has_permission_for_instance(a.reviewer, "delete", a.line)
    assert not policy.user_has_permission_for_instance(a.reviewer, "delete", b.line)


def test_superuser_sees_every_line_and_outsiders_none(a, b):
    policy = budget_line_policy()
    admin = factories.user("admin", superuser=True)
    outsider = factories.user("nadie")
    assert set(policy.instances_user_has_any_permission_for(admin, ["change"])) == set(BudgetLine.objects.all())
    assert not policy.instances_user_has_any_permission_for(outsider, ["change"]).exists()
    assert area_pages_for_user(admin) is None


def test_area_choices_are_the_teams_spanish_submunicipality_and_neighbourhoods(a, b):
    pages = set(area_pages_for_user(a.editor, locale=Locale.get_default()).values_list("pk", flat=True))
    assert pages == {a.page.pk, a.neighborhood.pk}


# --- Over HTTP -------------------------------------------------------------------------------


def index_url():
    return reverse("budget_lines:index")


def edit_url(line):
    return reverse("budget_lines:edit", args=(line.pk,))


def delete_url(line):
    return reverse("budget_lines:delete", args=(line.pk,))


def assert_refused(response):
    """Wagtail's admin answers a refused request with a redirect to the dashboard (or a 403)."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home"), response["Location"]
    else:
        assert response.status_code == 403, response.status_code


def line_form(line, **changes):
    data = {
        "fiscal_year": line.fiscal_year,
        "code": line.code,
        "area": line.area_id,
        "category": line.category_id,
        "description": line.description,
        "amount_allocated": str(line.amount_allocated),
        "amount_executed": str(line.amount_executed),
        "funding_source": line.funding_source,
        "work": line.work_id or "",
    }
    data.update(changes)
    return data


def test_menu_shows_budget_lines_to_team_members(client, a):
    client.force_login(a.editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert index_url() in response.content.decode()


def test_listing_shows_only_the_areas_own_lines(client, a, b):
    client.force_login(a.editor)
    response = client.get(index_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "PRE-A-1" in html and "PRE-A-2" in html
    assert "PRE-B-1" not in html and "PRE-B-2" not in html

    client.force_login(b.reviewer)
    html = client.get(index_url()).content.decode()
    assert "PRE-B-1" in html and "PRE-A-1" not in html


def test_listing_filters_by_year_and_category_and_searches_codes(client, a, category):
    other = factories.category("Parques", code="parks")
    factories.budget_line(a.neighborhood, code="PRE-A-2025", fiscal_year=2025, category=other)
    client.force_login(a.editor)

    html = client.get(index_url(), {"fiscal_year": 2025}).content.decode()
    assert "PRE-A-2025" in html and "PRE-A-1" not in html
    html = client.get(index_url(), {"category": category.pk}).content.decode()
    assert "PRE-A-1" in html and "PRE-A-2025" not in html
    html = client.get(reverse("budget_lines:index_results"), {"q": "PRE-A-2025"}).content.decode()
    assert "PRE-A-2025" in html and "PRE-A-1<" not in html


def test_editor_edits_own_line(client, a, b):
    client.force_login(a.editor)
    assert client.get(edit_url(a.line)).status_code == 200
    response = client.post(edit_url(a.line), line_form(a.line, amount_executed="30000.00"))
    assert response.status_code == 302
    a.line.refresh_from_db()
    assert a.line.amount_executed == Decimal("30000.00")


def test_editor_cannot_open_change_or_delete_another_areas_line(client, a, b):
    client.force_login(a.editor)
    before = BudgetLine.objects.get(pk=b.line.pk)
    assert_refused(client.get(edit_url(b.line)))
    assert_refused(client.post(edit_url(b.line), line_form(b.line, amount_executed="1.00")))
    assert_refused(client.get(delete_url(b.line)))
    assert_refused(client.post(delete_url(b.line)))
    assert_refused(client.get(reverse("budget_lines:history", args=(b.line.pk,))))
    assert_refused(client.get(reverse("budget_lines:copy", args=(b.line.pk,))))
    after = BudgetLine.objects.get(pk=b.line.pk)
    assert after.amount_executed == before.amount_executed


def test_reviewer_deletes_own_line_but_not_another_areas(client, a, b):
    client.force_login(a.reviewer)
    assert_refused(client.post(delete_url(b.line)))
    assert BudgetLine.objects.filter(pk=b.line.pk).exists()
    response = client.post(delete_url(a.line))
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=a.line.pk).exists()


def test_editor_may_not_delete_even_own_line(client, a):
    client.force_login(a.editor)
    assert_refused(client.post(delete_url(a.line)))
    assert BudgetLine.objects.filter(pk=a.line.pk).exists()


def test_create_form_offers_only_own_areas_and_refuses_another(client, a, b, category):
    client.force_login(a.editor)
    form = client.get(reverse("budget_lines:add")).context["form"]
    assert set(form.fields["area"].queryset.values_list("pk", flat=True)) == {a.page.pk, a.neighborhood.pk}

    data = line_form(a.line, code="PRE-A-NEW", area=b.neighborhood.pk)
    response = client.post(reverse("budget_lines:add"), data)
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not BudgetLine.objects.filter(code="PRE-A-NEW").exists()

    response = client.post(reverse("budget_lines:add"), line_form(a.line, code="PRE-A-NEW"))
    assert response.status_code == 302
    assert BudgetLine.objects.get(code="PRE-A-NEW").area_id == a.neighborhood.pk


def test_editor_cannot_move_own_line_into_another_area(client, a, b):
    client.force_login(a.editor)
    response = client.post(edit_url(a.line), line_form(a.line, area=b.neighborhood.pk))
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert BudgetLine.objects.get(pk=a.line.pk).area_id == a.neighborhood.pk


def test_superuser_sees_and_edits_every_line(client, a, b):
    client.force_login(factories.user("admin", superuser=True))
    html = client.get(index_url()).content.decode()
    assert "PRE-A-1" in html and "PRE-B-1" in html
    assert client.get(edit_url(b.line)).status_code == 200


def test_admin_users_outside_any_team_see_nothing(client, a):
    from teams.governance import ensure_translators_group

    client.force_login(factories.user("traductora", ensure_translators_group()))
    assert_refused(client.get(index_url()))
    assert_refused(client.get(edit_url(a.line)))
