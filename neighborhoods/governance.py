"""Per-submunicipality governance: each area's team edits and publishes only its own pages.

For every submunicipality this sets up, idempotently:

- an *Editors* group: may add and edit pages in the area's subtree, not publish;
- a *Reviewers* group: may add, edit and publish pages in the area's subtree;
- an image and document collection that both groups may use (and no one else's);
- a "review before publish" workflow on the area whose only task is approval by the area's
  Reviewers.

It also makes the city-wide *Translators* group (its permissions are completed by the
localisation work). Called when a ``SubmunicipalityPage`` is created and by
``manage.py setup_governance``.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
TRANSLATORS_GROUP = "Traductores"


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _admin_access():
    return _permission("wagtailadmin", "access_admin")


def _new_group(name):
    """Create a group called ``name``, adding a number if another group already has it."""
    candidate, number = name, 2
    while Group.objects.filter(name=candidate).exists():
        candidate, number = f"{name} ({number})", number + 1
    return Group.objects.create(name=candidate)


def ensure_translators_group():
    group, _created = Group.objects.get_or_create(name=TRANSLATORS_GROUP)
    group.permissions.add(_admin_access())
    return group


def _source_title(page):
    """The area's name in the default language when that copy exists, else this copy's."""
    from wagtail.models import Locale

    source = (
        type(page).objects.filter(translation_key=page.translation_key, locale=Locale.get_default()).first()
    )
    return (source or page).title


@transaction.atomic
def set_up_area(page):
    """Create or complete the team of the submunicipality ``page`` and return it.

    Safe to run again: nothing that exists is duplicated, and every language's copy of the
    area gets the same team's permissions and workflow.
    """
    from neighborhoods.models import AreaTeam, SubmunicipalityPage

    team = AreaTeam.objects.filter(translation_key=page.translation_key).first()
    if team is None:
        # Group names hold 150 characters; leave room for the role and a number.
        name = _source_title(page)[:120]
        reviewers = _new_group(f"{name} — Revisores")
        task = GroupApprovalTask.objects.create(name=f"Aprobación de revisores — {name}")
        task.groups.set([reviewers])
        workflow = Workflow.objects.create(name=f"Revisión antes de publicar — {name}")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        team = AreaTeam.objects.create(
            translation_key=page.translation_key,
            name=name,
            editors=_new_group(f"{name} — Editores"),
            reviewers=reviewers,
            collection=Collection.get_first_root_node().add_child(name=name),
            workflow=workflow,
        )

    access_admin = _admin_access()
    page_permissions = {
        team.editors: [_permission("wagtailcore", c) for c in EDITOR_PAGE_PERMISSIONS],
        team.reviewers: [_permission("wagtailcore", c) for c in REVIEWER_PAGE_PERMISSIONS],
    }
    collection_permissions = [_permission(app, codename) for app, codename in COLLECTION_PERMISSIONS]
    area_pages = SubmunicipalityPage.objects.filter(translation_key=page.translation_key)

    for group, permissions in page_permissions.items():
        group.permissions.add(access_admin)
        for area_page in area_pages:
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(group=group, page=area_page, permission=permission)
        for permission in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=team.collection, permission=permission
            )
    for area_page in area_pages:
        WorkflowPage.objects.update_or_create(page=area_page, defaults={"workflow": team.workflow})
    return team


def set_up_all_areas(stdout=None):
    """Set up every submunicipality's team and the Translators group; return the teams."""
    from neighborhoods.models import SubmunicipalityPage

    ensure_translators_group()
    teams = []
    for page in SubmunicipalityPage.objects.order_by("path"):
        team = set_up_area(page)
        if stdout is not None:
            stdout.write(f"  {page.locale.language_code}: {page.title} → {team.editors.name}, {team.reviewers.name}")
        teams.append(team)
    return teams


def team_for_page(page):
    """The team of the submunicipality that contains ``page`` (None outside any area)."""
    from neighborhoods.models import AreaTeam, SubmunicipalityPage

    area = SubmunicipalityPage.objects.ancestor_of(page, inclusive=True).first()
    if area is None:
        return None
    return AreaTeam.objects.filter(translation_key=area.translation_key).first()
