"""Who may do what: each area's team edits and publishes only its own pages; translators translate.

For every submunicipality this sets up, idempotently:

- an *Editors* group: may add and edit pages in the area's subtree, not publish;
- a *Reviewers* group: may add, edit and publish pages in the area's subtree;
- an image and document collection that both groups may use (and no one else's);
- a "review before publish" workflow on the area whose only task is approval by the area's
  Reviewers.

Both groups' permissions and the workflow are put on every language copy of the area, so the
Aymara, Quechua, Guaraní and English pages of an area belong to the same team.

It also makes the city-wide *Translators* group (``ensure_translators_group``), which may:

- use wagtail-localize (``submit_translation``: "Translate this page", "Sync translated pages");
- add and edit pages under every home page that is not in the default language (Spanish), so
  it can open wagtail-localize's translation editor, save translated strings and upload PO
  files for any page in any area — and a home page added later for a language (an alias or a
  translation) gets the same permissions at once (``teams.signals``);
- add and edit work categories and contractors, to translate those snippets.

It may not publish, and has no permission at all on the Spanish tree: Spanish is the source of
every translation, and translators never edit it. It gets no image or document permission:
photos, documents, figures, dates, codes and places are facts synchronised from the Spanish
page and not overridable in the translation editor (see the models' ``translatable_fields``);
translators translate words (titles, summaries, captions, alt text), never swap a photo.

Review of translations: the area's Reviewers publish them, through wagtail-localize's publish
permission — not through the area's workflow. wagtail-localize's translation editor has no
"save draft" and no "submit for moderation" action (upstream issues #299, #634, #655): what a
translator types is kept as translated strings, and reaches the page only when someone allowed
to publish that page presses "Publish in <language>" in the same editor, which publishes a new
revision directly and never consults a Wagtail workflow (#676). A workflow would therefore
never see a synced translation. The gate is the publish permission instead: the translator
cannot publish, and the Reviewers of the area — who hold publish permission on every language
copy of their area — open the translation, read it (and preview it), and publish it. So a
translated page is reviewed by the same people as the Spanish page. Pages outside any area
(each language's home page) are published by administrators. The workflow stays on every
language copy: when a translation is stopped and edited in Wagtail's own editor, the
translator submits it to the area's workflow like any editor.

Limits (see the tests in ``tests/languages/test_translation_workflow.py``):

- Snippet permissions in Wagtail are per model, not per language, so translators could also
  edit a Spanish category or contractor; and categories and contractors have no drafts, so a
  snippet translation is live as soon as the translator saves it ("Publish" in the editor).
- wagtail-localize's "Sync translated pages" form checks only ``submit_translation``: its
  "Publish immediately" box would publish every translation of the page without checking the
  publish permission. ``languages.localize_workarounds.sync_publish`` closes that: without publish
  permission the box is ignored and the translations are only updated.

Called when a ``SubmunicipalityPage`` or a non-default-language ``HomePage`` is created (see
``teams.signals``) and by ``manage.py setup_governance``.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import QuerySet

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage
from teams.models import AreaTeam

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
# On every non-default-language home page, inherited by the whole tree below it. Not publish.
TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
TRANSLATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("works", "add_workcategory"),
    ("works", "change_workcategory"),
    ("works", "add_contractor"),
    ("works", "change_contractor"),
]


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


@transaction.atomic
def ensure_translators_group() -> Group:
    """Create or complete the city-wide Translators group and return it.

    Safe to run again. Grants page permissions on every home page that exists in a language
    other than the default one, and removes any page permission the group holds on the
    default language's tree (the source of every translation).
    """
    group, _created = Group.objects.get_or_create(name=TRANSLATORS_GROUP)
    group.permissions.add(*[_permission(app, codename) for app, codename in TRANSLATOR_PERMISSIONS])
    default_locale = Locale.get_default()
    for home in HomePage.objects.exclude(locale=default_locale):
        _open_language_tree(group, home)
    GroupPagePermission.objects.filter(group=group, page__locale=default_locale).delete()
    return group


def open_language_tree_to_translators(home: HomePage) -> None:
    """Give the Translators group, if it exists yet, its permissions on a new language's home page.

    Does nothing for the default language, or before ``ensure_translators_group`` has made the
    group (it grants on every language's home page when it does).
    """
    group = Group.objects.filter(name=TRANSLATORS_GROUP).first()
    if group is not None and home.locale_id != Locale.get_default().pk:
        _open_language_tree(group, home)


def _open_language_tree(group, home):
    for codename in TRANSLATOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=home, permission=_permission("wagtailcore", codename)
        )


def _source_title(page):
    """The area's name in the default language when that copy exists, else this copy's."""
    source = type(page).objects.filter(translation_key=page.translation_key, locale=Locale.get_default()).first()
    return (source or page).title


@transaction.atomic
def set_up_area(page: Page) -> AreaTeam:
    """Create or complete the team of the submunicipality ``page`` and return it.

    Safe to run again: nothing that exists is duplicated, and every language's copy of the
    area gets the same team's permissions and workflow.
    """
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
    area_pages = Page.objects.filter(translation_key=page.translation_key)

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


#: Wagtail's stock groups: their page permissions on the root reach every area.
STOCK_GROUPS = ("Editors", "Moderators")


@transaction.atomic
def retire_stock_groups() -> dict[str, str]:
    """Delete Wagtail's stock Editors and Moderators groups, or empty them of every right.

    A fresh Wagtail site gives them add, edit and publish on the root page, which would let
    anyone put in them edit every area and skip its review. A group nobody belongs to is
    deleted; one with members keeps its members but loses every permission (so whoever put
    people there can see who they were). Returns what happened to each, by name.
    """
    done = {}
    for name in STOCK_GROUPS:
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        if group.user_set.exists():
            group.permissions.clear()
            GroupPagePermission.objects.filter(group=group).delete()
            GroupCollectionPermission.objects.filter(group=group).delete()
            done[name] = "emptied"
        else:
            group.delete()
            done[name] = "deleted"
    return done


def set_up_all_areas(area_pages: QuerySet, stdout=None) -> list[AreaTeam]:
    """Set up the team of each page of ``area_pages`` and the Translators group, retire Wagtail's
    stock groups; return the teams."""
    for name, what in retire_stock_groups().items():
        if stdout is not None:
            stdout.write(f"  Wagtail's stock group {name!r}: {what} (its rights reached every area)")
    ensure_translators_group()
    teams = []
    for page in area_pages.order_by("path"):
        team = set_up_area(page)
        if stdout is not None:
            stdout.write(f"  {page.locale.language_code}: {page.title} → {team.editors.name}, {team.reviewers.name}")
        teams.append(team)
    return teams
