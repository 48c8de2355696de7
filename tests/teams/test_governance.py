"""Each submunicipality's team edits and publishes only its own pages, images and documents.

Two areas, A and B, each with its Editors and Reviewers (see ``teams.governance``).
Every rule is checked twice: through Wagtail's permission API and through the admin over
HTTP, and every refusal is paired with the matching permission so that neither can pass by
accident.
"""

import contextlib
import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models.signals import post_save
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
)
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from neighborhoods.models import SubmunicipalityPage
from neighborhoods.signals import give_new_area_its_team
from teams.governance import TRANSLATORS_GROUP
from teams.models import AreaTeam
from tests import factories
from works.models import PublicWorkPage, PublicWorkPhoto, WorkStatus

pytestmark = pytest.mark.django_db


# --- Two areas and their people -------------------------------------------------------------


class Area:
    """One submunicipality with a neighbourhood, a live work, a draft work, an image and a document."""

    def __init__(self, letter):
        self.letter = letter
        self.page = factories.submunicipality(title=f"Subalcaldía {letter}")
        self.team = AreaTeam.objects.get(translation_key=self.page.translation_key)
        self.neighborhood = factories.neighborhood(self.page, title=f"Barrio {letter}")
        self.work = factories.work(self.neighborhood, title=f"Obra publicada {letter}")
        self.draft = factories.work(self.neighborhood, title=f"Obra en borrador {letter}")
        self.draft.unpublish()
        self.draft.refresh_from_db()
        self.editor = factories.user(f"editor_{letter.lower()}", self.team.editors)
        self.reviewer = factories.user(f"revisor_{letter.lower()}", self.team.reviewers)
        self.image = get_image_model().objects.create(
            title=f"Imagen de la zona {letter}", file=get_test_image_file(), collection=self.team.collection
        )
        self.document = get_document_model().objects.create(
            title=f"Documento de la zona {letter}",
            file=ContentFile(b"Informe tecnico", name=f"informe-{letter.lower()}.txt"),
            collection=self.team.collection,
        )


@pytest.fixture
def a():
    return Area("A")


@pytest.fixture
def b(a):
    return Area("B")


def fresh(page):
    """The page as it is now in the database (edits through the admin happen elsewhere)."""
    return Page.objects.get(pk=page.pk).specific


@contextlib.contextmanager
def signal_muted():
    """Create submunicipalities as a data import would before governance existed."""
    post_save.disconnect(give_new_area_its_team, sender=SubmunicipalityPage)
    try:
        yield
    finally:
        post_save.connect(give_new_area_its_team, sender=SubmunicipalityPage)


def governance_counts():
    return {
        "groups": Group.objects.count(),
        "page permissions": GroupPagePermission.objects.count(),
        "collection permissions": GroupCollectionPermission.objects.count(),
        "workflows": Workflow.objects.count(),
        "workflow pages": WorkflowPage.objects.count(),
        "tasks": GroupApprovalTask.objects.count(),
        "collections": Collection.objects.count(),
        "teams": AreaTeam.objects.count(),
    }


# --- What creating an area sets up ----------------------------------------------------------


def test_creating_a_submunicipality_gives_it_groups_a_collection_and_a_review_workflow(a):
    team = a.team

    assert team.editors != team.reviewers
    assert "Subalcaldía A" in team.editors.name and "Subalcaldía A" in team.reviewers.name
    assert team.collection.get_parent() == Collection.get_first_root_node()

    tasks = [task.specific for task in team.workflow.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], GroupApprovalTask)
    assert list(tasks[0].groups.all()) == [team.reviewers]

    assert WorkflowPage.objects.get(page=a.page).workflow == team.workflow
    assert a.work.get_workflow() == team.workflow
    assert a.draft.get_workflow() == team.workflow

    editor_codenames = set(
        GroupPagePermission.objects.filter(group=team.editors, page=a.page).values_list(
            "permission__codename", flat=True
        )
    )
    reviewer_codenames = set(
        GroupPagePermission.objects.filter(group=team.reviewers, page=a.page).values_list(
            "permission__codename", flat=True
        )
    )
    assert editor_codenames == {"add_page", "change_page"}
    assert {"add_page", "change_page", "publish_page"} <= reviewer_codenames
    for group in (team.editors, team.reviewers):
        assert set(GroupCollectionPermission.objects.filter(group=group).values_list("collection", flat=True)) == {
            team.collection.pk
        }
        assert group.permissions.filter(codename="access_admin").exists()


def test_each_area_has_its_own_team_and_workflow(a, b):
    assert a.team != b.team
    assert {a.team.editors, a.team.reviewers}.isdisjoint({b.team.editors, b.team.reviewers})
    assert a.team.collection != b.team.collection
    assert a.work.get_workflow() == a.team.workflow
    assert b.work.get_workflow() == b.team.workflow
    assert a.team.workflow != b.team.workflow


def test_every_language_copy_of_an_area_belongs_to_the_same_team(a):
    english = Locale.objects.get(language_code="en")
    teams_before = AreaTeam.objects.count()

    translated = a.page.copy_for_translation(english, copy_parents=True)

    assert AreaTeam.objects.count() == teams_before
    assert WorkflowPage.objects.get(page=translated).workflow == a.team.workflow
    assert translated.permissions_for_user(a.editor).can_add_subpage()
    assert translated.permissions_for_user(a.reviewer).can_publish()


def test_setup_governance_completes_areas_created_without_it_and_is_idempotent():
    with signal_muted():
        area = factories.submunicipality(title="Subalcaldía importada")
    assert not AreaTeam.objects.filter(translation_key=area.translation_key).exists()
    assert not Group.objects.filter(name=TRANSLATORS_GROUP).exists()
    before = governance_counts()

    output = io.StringIO()
    call_command("setup_governance", stdout=output)
    after_first = governance_counts()
    call_command("setup_governance", stdout=io.StringIO())
    after_second = governance_counts()

    team = AreaTeam.objects.get(translation_key=area.translation_key)
    assert team.editors.name in output.getvalue()
    assert area.get_workflow() == team.workflow
    assert Group.objects.filter(name=TRANSLATORS_GROUP).exists()
    # Editors, reviewers and translators made; Wagtail's stock Editors and Moderators deleted.
    assert after_first["groups"] == before["groups"] + 3 - 2
    assert after_first["collections"] == before["collections"] + 1
    assert after_first["workflows"] == before["workflows"] + 1
    team_groups = [team.editors, team.reviewers]
    assert GroupPagePermission.objects.filter(group__in=team_groups).exists()
    assert GroupCollectionPermission.objects.filter(group__in=team_groups).exists()
    assert after_second == after_first


def test_setup_governance_on_areas_that_already_have_teams_creates_nothing(a, b):
    call_command("setup_governance", stdout=io.StringIO())
    before = governance_counts()
    call_command("setup_governance", stdout=io.StringIO())
    assert governance_counts() == before
    assert AreaTeam.objects.get(translation_key=a.page.translation_key) == a.team


# --- Wagtail's permission API: pages --------------------------------------------------------


def test_an_editor_can_add_and_edit_in_their_area_but_not_publish(a, b):
    for page in (a.page, a.neighborhood, a.work, a.draft):
        perms = page.permissions_for_user(a.editor)
        assert perms.can_edit(), page
        assert not perms.can_publish(), page
        assert not perms.can_unpublish(), page
    assert a.neighborhood.permissions_for_user(a.editor).can_add_subpage()
    assert not a.neighborhood.permissions_for_user(a.editor).can_publish_subpage()
    # A draft in their own area may be deleted or moved; a live page needs a reviewer.
    assert a.draft.permissions_for_user(a.editor).can_delete()
    assert a.draft.permissions_for_user(a.editor).can_move()
    assert not a.work.permissions_for_user(a.editor).can_delete()
    assert not a.work.permissions_for_user(a.editor).can_move()


def test_an_editor_can_do_nothing_in_another_area(a, b):
    for page in (b.page, b.neighborhood, b.work, b.draft):
        perms = page.permissions_for_user(a.editor)
        assert not perms.can_edit(), page
        assert not perms.can_add_subpage(), page
        assert not perms.can_publish(), page
        assert not perms.can_unpublish(), page
        assert not perms.can_delete(), page
        assert not perms.can_move(), page
        assert not perms.can_lock(), page
    # ...while B's own editor can (the refusals above are about the area, not the page).
    assert b.draft.permissions_for_user(b.editor).can_edit()
    assert b.draft.permissions_for_user(b.editor).can_delete()
    # Nor move their own draft into B.
    assert a.draft.permissions_for_user(a.editor).can_move_to(a.neighborhood)
    assert not a.draft.permissions_for_user(a.editor).can_move_to(b.neighborhood)


def test_a_reviewer_can_publish_in_their_area_only(a, b):
    for page in (a.neighborhood, a.work, a.draft):
        perms = page.permissions_for_user(a.reviewer)
        assert perms.can_edit(), page
        assert perms.can_publish(), page
    assert a.work.permissions_for_user(a.reviewer).can_unpublish()
    assert a.work.permissions_for_user(a.reviewer).can_delete()
    assert a.work.permissions_for_user(a.reviewer).can_move()
    for page in (b.page, b.neighborhood, b.work, b.draft):
        perms = page.permissions_for_user(a.reviewer)
        assert not perms.can_edit(), page
        assert not perms.can_publish(), page
        assert not perms.can_unpublish(), page
        assert not perms.can_add_subpage(), page
        assert not perms.can_delete(), page
        assert not perms.can_move(), page


def test_nobody_in_an_area_team_can_delete_or_move_the_area_itself(a):
    for person in (a.editor, a.reviewer):
        perms = a.page.permissions_for_user(person)
        assert perms.can_edit()
        assert not perms.can_delete()
        assert not perms.can_move_to(factories.home_page())


def test_an_editors_change_goes_to_the_areas_reviewers_not_live(a, b):
    work = PublicWorkPage.objects.get(pk=a.work.pk)
    work.title = "Obra publicada A (corregida)"
    revision = work.save_revision(user=a.editor)
    workflow_state = work.get_workflow().start(work, a.editor)

    assert fresh(a.work).title == "Obra publicada A"
    assert fresh(a.work).latest_revision == revision
    assert fresh(a.work).has_unpublished_changes
    assert workflow_state.workflow == a.team.workflow
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    task = workflow_state.current_task_state.task.specific

    def action_names(user):
        return [name for name, _label, _modal in task.get_actions(work, user)]

    assert "approve" in action_names(a.reviewer)
    assert action_names(b.reviewer) == []
    assert action_names(a.editor) == []

    task.on_action(workflow_state.current_task_state, a.reviewer, "approve")

    assert fresh(a.work).title == "Obra publicada A (corregida)"
    assert fresh(a.work).live
    assert WorkflowState.objects.get(pk=workflow_state.pk).status == WorkflowState.STATUS_APPROVED


# --- Wagtail's permission API: images and documents -----------------------------------------


@pytest.mark.parametrize(
    ("get_model", "attribute"),
    [(get_image_model, "image"), (get_document_model, "document")],
    ids=["images", "documents"],
)
def test_a_team_uses_only_its_own_collection(a, b, get_model, attribute):
    policy = policy_registry.get_by_type(get_model())
    own, other = getattr(a, attribute), getattr(b, attribute)
    for person in (a.editor, a.reviewer):
        assert policy.user_has_permission_for_instance(person, "choose", own)
        assert policy.user_has_permission_for_instance(person, "change", own)
        assert not policy.user_has_permission_for_instance(person, "choose", other)
        assert not policy.user_has_permission_for_instance(person, "change", other)
        assert not policy.user_has_permission_for_instance(person, "delete", other)
        assert list(policy.collections_user_has_permission_for(person, "add")) == [a.team.collection]
        assert set(policy.instances_user_has_permission_for(person, "choose")) == {own}


# --- The admin over HTTP --------------------------------------------------------------------


def assert_refused(response):
    """Wagtail's admin answers a refused request with a redirect to the dashboard (or a 403)."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home"), response["Location"]
    else:
        assert response.status_code == 403, response.status_code


def work_form(title, slug, project_code, category, photos=(), documents=(), **extra):
    """What the public work form posts: every required field and the inline panels."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "project_code": project_code,
            "category": category.pk,
            "summary": "Cambio de tuberías",
            "description": rich_text("<p>Obra de agua potable.</p>"),
            "status": WorkStatus.IN_PROGRESS,
            "progress": 40,
            "budget": "250000.00",
            "amount_executed": "10000.00",
            "photos": inline_formset(list(photos)),
            "documents": inline_formset(list(documents)),
            "updates": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    return data


def form_for_existing(work, **extra):
    work = PublicWorkPage.objects.get(pk=work.pk)
    return work_form(work.title, work.slug, work.project_code, work.category, **extra)


def post_and_check(client, url, data):
    response = client.post(url, data)
    if response.status_code == 200 and response.context and "form" in response.context:
        form = response.context["form"]
        print("form errors:", form.errors, [fs.errors for fs in form.formsets.values()])
    return response


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("works", "publicworkpage", parent.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_editor_opens_editors_of_their_area_only(client, a, b):
    client.force_login(a.editor)

    assert client.get(edit_url(a.work)).status_code == 200
    assert client.get(edit_url(a.draft)).status_code == 200
    assert client.get(add_url(a.neighborhood)).status_code == 200
    for page in (b.work, b.draft, b.neighborhood, b.page):
        assert_refused(client.get(edit_url(page)))
    assert_refused(client.get(add_url(b.neighborhood)))


def test_editor_explores_only_their_area(client, a, b):
    client.force_login(a.editor)

    response = client.get(reverse("wagtailadmin_explore", args=(a.neighborhood.pk,)))
    assert response.status_code == 200
    assert "Obra publicada A" in response.content.decode()

    for page in (b.page, b.neighborhood):
        response = client.get(reverse("wagtailadmin_explore", args=(page.pk,)))
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=(a.page.pk,))

    response = client.get(reverse("wagtailadmin_explore", args=(a.page.pk,)))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Barrio A" in content
    assert "Barrio B" not in content

    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "Obra"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Obra publicada A" in content
    assert "Obra publicada B" not in content


def test_editor_creates_a_draft_in_their_area(client, a, b):
    client.force_login(a.editor)

    response = post_and_check(
        client, add_url(a.neighborhood), work_form("Pozo nuevo", "pozo-nuevo", "OB-A-0001", a.work.category)
    )

    page = PublicWorkPage.objects.get(slug="pozo-nuevo", locale__language_code="es")
    assert response.status_code == 302
    assert response["Location"] == edit_url(page)
    assert page.get_parent().pk == a.neighborhood.pk
    assert page.owner == a.editor
    assert not page.live
    assert page.budget == Decimal("250000.00")


def test_editor_asking_to_publish_only_saves_a_draft(client, a, b):
    client.force_login(a.editor)

    response = post_and_check(
        client,
        add_url(a.neighborhood),
        work_form("Puente", "puente", "OB-A-0002", a.work.category, **{"action-publish": "action-publish"}),
    )

    # Wagtail treats the publish button of someone who may not publish as "save draft".
    page = PublicWorkPage.objects.get(slug="puente", locale__language_code="es")
    assert response.status_code == 302
    assert response["Location"] == edit_url(page)
    assert not page.live
    assert page.live_revision is None
    assert page.latest_revision is not None

    edited = form_for_existing(a.work, **{"action-publish": "action-publish"})
    edited["title"] = "Obra publicada A (sin revisar)"
    response = post_and_check(client, edit_url(a.work), edited)
    assert response.status_code == 302
    assert response["Location"] == edit_url(a.work)
    assert fresh(a.work).title == "Obra publicada A"
    assert fresh(a.work).has_unpublished_changes


def test_editor_submits_a_new_work_to_their_areas_reviewers(client, a, b):
    client.force_login(a.editor)

    response = post_and_check(
        client,
        add_url(a.neighborhood),
        work_form("Plaza", "plaza", "OB-A-0003", a.work.category, **{"action-submit": "action-submit"}),
    )

    assert response.status_code == 302
    page = PublicWorkPage.objects.get(slug="plaza", locale__language_code="es")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == a.team.workflow
    assert list(state.current_task_state.task.specific.groups.all()) == [a.team.reviewers]


def test_editor_cannot_create_or_edit_in_another_area_by_posting(client, a, b):
    client.force_login(a.editor)

    assert_refused(client.post(add_url(b.neighborhood), work_form("Intrusa", "intrusa", "OB-B-9999", b.work.category)))
    edited = form_for_existing(b.draft)
    edited["title"] = "Cambiada desde A"
    assert_refused(client.post(edit_url(b.draft), edited))

    assert not PublicWorkPage.objects.filter(slug="intrusa").exists()
    assert fresh(b.draft).title == "Obra en borrador B"
    assert fresh(b.draft).latest_revision.content["title"] == "Obra en borrador B"


def test_reviewer_publishes_in_their_area_and_is_refused_in_another(client, a, b):
    client.force_login(a.reviewer)

    publish = {"action-publish": "1"}
    response = post_and_check(client, edit_url(a.draft), form_for_existing(a.draft, **publish))
    assert response.status_code == 302
    assert fresh(a.draft).live

    assert_refused(client.post(edit_url(b.draft), form_for_existing(b.draft, **publish)))
    assert not fresh(b.draft).live


def test_editor_cannot_delete_or_move_another_areas_pages(client, a, b):
    client.force_login(a.editor)

    # Their own draft: the delete and move screens open.
    assert client.get(reverse("wagtailadmin_pages:delete", args=(a.draft.pk,))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:move", args=(a.draft.pk,))).status_code == 200

    for page in (b.draft, b.work):
        assert_refused(client.get(reverse("wagtailadmin_pages:delete", args=(page.pk,))))
        assert_refused(client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,))))
        assert_refused(client.get(reverse("wagtailadmin_pages:move", args=(page.pk,))))
        assert_refused(client.post(reverse("wagtailadmin_pages:move_confirm", args=(page.pk, a.neighborhood.pk))))
    assert_refused(client.post(reverse("wagtailadmin_pages:unpublish", args=(b.work.pk,))))

    assert fresh(b.draft).get_parent().pk == b.neighborhood.pk
    assert fresh(b.work).get_parent().pk == b.neighborhood.pk
    assert fresh(b.work).live


def test_editor_cannot_move_their_own_draft_into_another_area(client, a, b):
    client.force_login(a.editor)

    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=(a.draft.pk, b.neighborhood.pk)))

    assert_refused(response)
    assert fresh(a.draft).get_parent().pk == a.neighborhood.pk


def test_choosers_list_only_the_teams_own_images_and_documents(client, a, b):
    client.force_login(a.editor)

    images = client.get(reverse("wagtailimages_chooser:choose"))
    documents = client.get(reverse("wagtaildocs_chooser:choose"))

    assert images.status_code == 200 and documents.status_code == 200
    assert "Imagen de la zona A" in images.content.decode()
    assert "Imagen de la zona B" not in images.content.decode()
    assert "Documento de la zona A" in documents.content.decode()
    assert "Documento de la zona B" not in documents.content.decode()


def test_editor_cannot_open_another_areas_image_or_document(client, a, b):
    client.force_login(a.editor)

    assert client.get(reverse("wagtailimages:edit", args=(a.image.pk,))).status_code == 200
    assert client.get(reverse("wagtaildocs:edit", args=(a.document.pk,))).status_code == 200
    assert_refused(client.get(reverse("wagtailimages:edit", args=(b.image.pk,))))
    assert_refused(client.get(reverse("wagtaildocs:edit", args=(b.document.pk,))))
    assert_refused(client.post(reverse("wagtailimages:delete", args=(b.image.pk,))))
    assert get_image_model().objects.filter(pk=b.image.pk).exists()

    listing = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Imagen de la zona A" in listing
    assert "Imagen de la zona B" not in listing


def test_editor_attaches_their_own_image_and_document_to_a_work(client, a, b):
    client.force_login(a.editor)

    response = post_and_check(
        client,
        add_url(a.neighborhood),
        work_form(
            "Con foto propia",
            "con-foto-propia",
            "OB-A-0010",
            a.work.category,
            photos=[{"image": a.image.pk, "caption": "Avance"}],
            documents=[{"document": a.document.pk, "title": "Contrato"}],
        ),
    )

    assert response.status_code == 302
    page = PublicWorkPage.objects.get(slug="con-foto-propia", locale__language_code="es")
    assert [photo.image_id for photo in page.photos.all()] == [a.image.pk]
    assert [item.document_id for item in page.documents.all()] == [a.document.pk]


def test_editor_cannot_attach_another_areas_image_by_crafting_the_form(client, a, b):
    client.force_login(a.editor)

    response = client.post(
        add_url(a.neighborhood),
        work_form(
            "Con foto ajena",
            "con-foto-ajena",
            "OB-A-0011",
            a.work.category,
            photos=[{"image": b.image.pk, "caption": "Ajena"}],
        ),
    )

    assert response.status_code == 200
    photo_errors = response.context["form"].formsets["photos"].forms[0].errors
    # The admin speaks the default language, Spanish, to an editor who has not chosen another.
    assert "colección de otra subalcaldía" in str(photo_errors["image"])
    assert not PublicWorkPage.objects.filter(slug="con-foto-ajena").exists()
    assert not PublicWorkPhoto.objects.filter(image=b.image).exists()


def test_editor_cannot_attach_another_areas_document_by_crafting_the_form(client, a, b):
    client.force_login(a.editor)

    response = client.post(
        add_url(a.neighborhood),
        work_form(
            "Con documento ajeno",
            "con-documento-ajeno",
            "OB-A-0012",
            a.work.category,
            documents=[{"document": b.document.pk, "title": "Ajeno"}],
        ),
    )

    assert response.status_code == 200
    assert not PublicWorkPage.objects.filter(slug="con-documento-ajeno").exists()
