"""Who may see and change which budget lines: each area team, its own submunicipality's lines.

Budget lines are not pages, so Wagtail's page permissions do not reach them. The rule is the
same as for pages, though: a line belongs to the submunicipality that contains its area (a
neighbourhood or the submunicipality itself), and the Editors and Reviewers of that area's
``AreaTeam`` may work on it. Superusers see every line.

- ``grant_budget_permissions(team)`` gives a team's groups the model permissions: Editors add
  and change lines, Reviewers also delete them. It is idempotent, runs when a team is created
  (``post_save`` on ``AreaTeam``, connected below) and, for teams made before this module
  existed, after every ``migrate`` and at the start of the import commands.
- ``BudgetLinePermissionPolicy`` adds the per-area rule to Wagtail's model permission policy;
  the admin views, the import flow and the tests all ask it.

This lives apart from ``teams/governance.py`` on purpose: pages and budget lines are governed the
same way but by different machinery.
"""

import contextlib

from django.db.models import QuerySet
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy

from budgets.models import BudgetLine
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from teams.areas import submunicipalities_of, subtree_filter
from teams.models import AreaTeam

EDITOR_ACTIONS = ("add", "change")
REVIEWER_ACTIONS = ("add", "change", "delete")


def _budget_permissions(actions):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(BudgetLine)
    codenames = [f"{action}_budgetline" for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def grant_budget_permissions(team: AreaTeam) -> None:
    """Give ``team``'s Editors and Reviewers their budget line permissions (safe to repeat)."""
    team.editors.permissions.add(*_budget_permissions(EDITOR_ACTIONS))
    team.reviewers.permissions.add(*_budget_permissions(REVIEWER_ACTIONS))


def grant_all_budget_permissions() -> int:
    """Run ``grant_budget_permissions`` for every existing team; return how many there are."""

    teams = list(AreaTeam.objects.select_related("editors", "reviewers"))
    for team in teams:
        grant_budget_permissions(team)
    return len(teams)


@receiver(post_save, sender="teams.AreaTeam", dispatch_uid="budget_permissions_for_new_team")
def give_new_team_budget_permissions(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_budget_permissions(instance)


@receiver(post_migrate, dispatch_uid="budget_permissions_after_migrate")
def give_existing_teams_budget_permissions(sender, app_config=None, **kwargs):
    # Once per migrate, after this app's permissions exist.
    if app_config is None or app_config.label != "budgets":
        return
    with contextlib.suppress(Exception):  # a half-migrated database must not break migrate
        grant_all_budget_permissions()


def area_pages_for_user(user, locale: Locale | None = None) -> QuerySet | None:
    """The neighbourhoods and submunicipalities whose budget lines ``user`` may work on.

    ``None`` means every area (superusers). ``locale`` limits the answer to one language's
    pages (the import and the admin forms offer only the Spanish source pages).
    """
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    if user.is_active and user.is_superuser:
        return None
    types = ContentType.objects.get_for_models(NeighborhoodPage, SubmunicipalityPage).values()
    pages = Page.objects.filter(subtree_filter(submunicipalities_of(user)), content_type__in=types)
    if locale is not None:
        pages = pages.filter(locale=locale)
    return pages


class BudgetLinePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the lines of the user's own submunicipality."""

    def _lines_of(self, user, queryset):
        if user.is_active and user.is_superuser:
            return queryset
        return queryset.filter(subtree_filter(submunicipalities_of(user), prefix="area__"))

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self._lines_of(user, self.model._default_manager.all())

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        if user.is_active and user.is_superuser:
            return True
        if instance.area_id is None:
            return False
        return area_pages_for_user(user).filter(pk=instance.area_id).exists()


def _register_policy():
    """Register the policy as soon as the app is ready, before any view asks for a fallback one."""
    from wagtail.permissions import policy_registry, register_permission_policy

    if policy_registry.get_by_type(BudgetLine, fallback=False) is None:
        register_permission_policy(BudgetLine, BudgetLinePermissionPolicy(BudgetLine))


def budget_line_policy() -> BudgetLinePermissionPolicy:
    """The permission policy of budget lines (the one registered here)."""
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(BudgetLine)


# Imported from ``NeighborhoodsConfig.ready()``: models are loaded by then.
_register_policy()
