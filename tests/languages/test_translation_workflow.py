"""Translators translate in wagtail-localize; facts follow the Spanish page; reviewers publish.

An area with a neighbourhood and a public work in Spanish, the area's team (see
``teams.governance``) and a member of the city-wide Translators group. Translating,
the PO round trip and the refusals are checked over HTTP through the admin at /admin/, and the
permissions also through Wagtail's permission API.

wagtail-localize publishes translations in ``transaction.on_commit``; inside a test's
transaction those callbacks only run within ``django_capture_on_commit_callbacks(execute=True)``.
"""

import datetime
import html
import json
import re
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation as i18n

from wagtail.models import GroupPagePermission, Locale, Page, WorkflowState
from wagtail_localize.fields import SynchronizedField, get_translatable_fields
from wagtail_localize.models import (
    OverridableSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

import polib
import pytest

from home.models import HomePage
from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
from teams.governance import TRANSLATORS_GROUP, ensure_translators_group
from tests import factories
from tests.teams.test_governance import form_for_existing
from works.models import (
    Contractor,
    PublicWorkDocument,
    PublicWorkPage,
    PublicWorkPhoto,
    PublicWorkUpdate,
    WorkCategory,
    WorkStatus,
)

pytestmark = pytest.mark.django_db

# Every fact a translator must not change, per model: synchronised from Spanish, not overridable.
FACTS = {
    SubmunicipalityPage: {"phone", "email", "image", "boundary"},
    NeighborhoodPage: {
        "image",
        "center_latitude",
        "center_longitude",
        "population",
        "council_name",
        "council_contact",
        "council_phone",
        "council_email",
        "boundary",
    },
    PublicWorkPage: {
        "project_code",
        "category",
        "contractor",
        "status",
        "progress",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "budget",
        "amount_executed",
        "latitude",
        "longitude",
    },
    PublicWorkPhoto: {"image"},
    PublicWorkDocument: {"document"},
    PublicWorkUpdate: {"date", "image"},
    NewsPage: {"date", "image"},
    WorkCategory: {"code"},
    Contractor: {"name", "tax_id", "phone", "email", "website"},
}


# --- People, places and helpers -------------------------------------------------------------


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def start_translation(instance, locale):
    """Submit ``instance`` for translation into ``locale`` as wagtail-localize does, without HTTP."""
    source, _created = TranslationSource.get_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    return translation


def translate_strings(translation, strings):
    """Store translated strings, as the translation editor or a PO upload would."""
    for path, text in strings.items():
        segment = translation.source.stringsegment_set.select_related("string", "context").get(context__path=path)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={"data": text},
        )


def publish_in_code(translation, capture):
    """Publish ``translation`` as a reviewer's "Publish" in the editor would (no HTTP)."""
    with capture(execute=True):
        translation.save_target(publish=True)


def edit_url(instance):
    if isinstance(instance, Page):
        return reverse("wagtailadmin_pages:edit", args=[instance.pk])
    opts = instance._meta
    return reverse(f"wagtailsnippets_{opts.app_label}_{opts.model_name}:edit", args=[instance.pk])


def editor_props(response):
    """The props the page gives wagtail-localize's translation editor (a React component)."""
    match = re.search(r'class="js-translation-editor" data-props="([^"]*)"', response.content.decode())
    assert match, "not wagtail-localize's translation editor"
    return json.loads(html.unescape(match.group(1)))


def put_string(client, segment_url, value):
    return client.put(segment_url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded")


def messages_of(response):
    return [str(message).strip() for message in response.context["messages"]] if response.context else []


def admin_text(message):
    """``message`` as the admin shows it (in the default language: no user chose another)."""
    with i18n.override(settings.LANGUAGE_CODE):
        return i18n.gettext(message).strip()


def assert_refused(response):
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] != response.request["PATH_INFO"]


# --- Facts are synchronised, never translated -----------------------------------------------


@pytest.mark.parametrize("model", list(FACTS), ids=lambda model: model.__name__)
def test_every_fact_is_synchronised_and_not_overridable(model):
    fields = {field.field_name: field for field in get_translatable_fields(model)}
    for name in FACTS[model]:
        assert isinstance(fields.get(name), SynchronizedField), f"{model.__name__}.{name} is not synchronised"
        assert fields[name].overridable is False, f"{model.__name__}.{name} can be overridden by a translator"


def test_changed_spanish_facts_reach_the_aymara_work_and_keep_its_translation(
    client, area, aymara, django_capture_on_commit_callbacks
):
    work, neighborhood = area["work"], area["neighborhood"]
    translation = start_translation(work, aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi", "summary": "Thakhi lurawi qillqata"})
    barrio = start_translation(neighborhood, aymara)
    translate_strings(barrio, {"summary": "Sopocachi jisk'a qillqata"})
    # One transaction each, as in the admin: wagtail-localize publishes on commit.
    with django_capture_on_commit_callbacks(execute=True):
        barrio.source.create_or_update_translation(aymara, fallback=True, copy_parent_pages=True)
    with django_capture_on_commit_callbacks(execute=True):
        translation.source.create_or_update_translation(aymara, fallback=True, copy_parent_pages=True)
    aymara_work = work.get_translation(aymara)
    assert aymara_work.live and aymara_work.title == "Ecuador thakhi lurawi"

    # The municipality raises the budget, the work advances, the neighbourhood is re-measured.
    work.budget, work.status, work.progress = Decimal("150000.00"), WorkStatus.PAUSED, 60
    work.save_revision().publish()
    new_boundary = {
        "type": "Polygon",
        "coordinates": [[[-68.15, -16.52], [-68.11, -16.52], [-68.11, -16.48], [-68.15, -16.48], [-68.15, -16.52]]],
    }
    neighborhood.boundary, neighborhood.population = new_boundary, 1250
    neighborhood.save_revision().publish()

    for source in (translation.source, barrio.source):
        with django_capture_on_commit_callbacks(execute=True):
            source.update_from_db()
            source.create_or_update_translation(aymara, fallback=True)

    aymara_work = fresh(aymara_work)
    assert (aymara_work.budget, aymara_work.status, aymara_work.progress) == (
        Decimal("150000.00"),
        WorkStatus.PAUSED,
        60,
    )
    assert aymara_work.title == "Ecuador thakhi lurawi"
    assert aymara_work.summary == "Thakhi lurawi qillqata"
    assert not aymara_work.has_unpublished_changes
    aymara_barrio = fresh(neighborhood.get_translation(aymara))
    assert aymara_barrio.boundary == new_boundary and aymara_barrio.population == 1250
    assert aymara_barrio.summary == "Sopocachi jisk'a qillqata"

    response = client.get(aymara_work.get_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "ay"
    assert "Ecuador thakhi lurawi" in content
    assert "150.000,00" in content


def test_translation_editor_offers_no_override_for_facts(client, submit_page_for_translation, area, aymara, admin_user):
    work = area["work"]
    factories.add_work_media(work, photos=1, documents=1, updates=[(datetime.date(2026, 1, 5), "Inicio de obras")])
    client.force_login(admin_user)
    translation = submit_page_for_translation(client, work, aymara)

    response = client.get(edit_url(work.get_translation(aymara)))

    props = editor_props(response)
    paths = {segment["contentPath"] for segment in props["segments"]}
    overridable = [s["contentPath"] for s in props["segments"] if s["type"] == "synchronised_value"]
    assert {"title", "summary"} <= paths
    assert any(path.startswith("photos.") and path.endswith(".caption") for path in paths)
    fact_paths = FACTS[PublicWorkPage] | {"photos", "documents", "updates"}
    assert not [path for path in overridable if path.split(".")[0] in fact_paths], overridable
    assert not OverridableSegment.objects.filter(
        source=translation.source, context__path__regex=r"^(budget|status|progress|project_code|photos\.)"
    ).exists()
    # Translators see the figures nowhere as something to translate either.
    assert not [s for s in props["segments"] if s["type"] == "string" and s["contentPath"] in FACTS[PublicWorkPage]]


# --- The Translators group ------------------------------------------------------------------


def test_translators_may_translate_but_not_publish_and_nothing_on_the_spanish_tree(
    area, aymara, translator, translators, django_capture_on_commit_callbacks
):
    work = area["work"]
    with django_capture_on_commit_callbacks(execute=True):
        start_translation(work, aymara).save_target()
    aymara_work = work.get_translation(aymara)

    assert translator.has_perm("wagtail_localize.submit_translation")
    for codename in ("add_workcategory", "change_workcategory", "add_contractor", "change_contractor"):
        assert translator.has_perm(f"works.{codename}")
    assert not translator.has_perm("works.delete_workcategory")
    assert not translators.permissions.filter(content_type__app_label__in=["wagtailimages", "wagtaildocs"]).exists()
    assert not translators.collection_permissions.exists()

    granted = GroupPagePermission.objects.filter(group=translators)
    assert granted.exists()
    assert set(granted.values_list("permission__codename", flat=True)) == {"add_page", "change_page"}
    assert not granted.filter(page__locale=Locale.get_default()).exists()
    assert set(granted.values_list("page_id", flat=True)) == set(
        HomePage.objects.exclude(locale=Locale.get_default()).values_list("pk", flat=True)
    )

    perms = aymara_work.permissions_for_user(translator)
    assert perms.can_edit()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    assert not perms.can_delete()
    for page in (work, area["neighborhood"], area["page"], factories.home_page()):
        perms = page.permissions_for_user(translator)
        assert not perms.can_edit(), page
        assert not perms.can_publish(), page
        assert not perms.can_add_subpage(), page
    # The area's reviewers publish the translation: same people as the Spanish page.
    reviewer = factories.user("revisor_centro", area["team"].reviewers)
    assert aymara_work.permissions_for_user(reviewer).can_publish()


def test_a_new_language_home_page_opens_to_translators_at_once(aymara, translators):
    quechua = Locale.objects.get(language_code="qu")
    HomePage.objects.filter(locale__in=[aymara, quechua]).delete()
    spanish_home = factories.home_page()

    alias = spanish_home.copy_for_translation(aymara, alias=True)
    translation = spanish_home.copy_for_translation(quechua)

    for home in (alias, translation):
        assert set(
            GroupPagePermission.objects.filter(group=translators, page=home).values_list(
                "permission__codename", flat=True
            )
        ) == {"add_page", "change_page"}


def test_setup_governance_gives_translators_every_language_tree_and_takes_back_the_spanish_one(translators):
    spanish_home = factories.home_page()
    GroupPagePermission.objects.create(
        group=translators, page=spanish_home, permission=Permission.objects.get(codename="change_page")
    )
    before = GroupPagePermission.objects.filter(group=translators).count()

    ensure_translators_group()
    ensure_translators_group()

    assert Group.objects.filter(name=TRANSLATORS_GROUP).count() == 1
    assert not GroupPagePermission.objects.filter(group=translators, page=spanish_home).exists()
    assert GroupPagePermission.objects.filter(group=translators).count() == before - 1


# --- The translator at work, over HTTP ------------------------------------------------------


def test_translator_translates_a_page_in_the_editor_and_cannot_publish_it(
    client, submit_page_for_translation, area, aymara, translator
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    aymara_work = work.get_translation(aymara)

    response = client.get(edit_url(aymara_work))
    assert response.status_code == 200
    props = editor_props(response)
    assert props["locale"]["code"] == "ay"
    assert props["perms"]["canPublish"] is False
    assert props["perms"]["canUnpublish"] is False
    title = next(s for s in props["segments"] if s["contentPath"] == "title")

    response = put_string(client, title["editUrl"], "Ecuador thakhi lurawi")
    assert response.status_code == 201
    assert (
        StringTranslation.objects.get(
            locale=aymara, context__object_id=work.translation_key, context__path="title"
        ).data
        == "Ecuador thakhi lurawi"
    )
    assert (
        StringTranslation.objects.get(
            locale=aymara, context__path="title", context__object_id=work.translation_key
        ).last_translated_by
        == translator
    )

    # The editor's publish action is refused, and the page is left as it was.
    revisions_before = aymara_work.revisions.count()
    response = client.post(edit_url(aymara_work), {"action": "publish"})
    assert_refused(response)
    assert fresh(aymara_work).title == work.title
    assert fresh(aymara_work).revisions.count() == revisions_before
    assert translation.get_progress()[1] == 1


def test_translator_cannot_edit_or_publish_the_spanish_source(client, area, translator):
    work = area["work"]
    client.force_login(translator)

    assert_refused(client.get(edit_url(work)))
    assert_refused(client.post(edit_url(work), {"title": "Cambiado", "slug": work.slug, "action-publish": "1"}))
    assert_refused(client.post(reverse("wagtailadmin_pages:unpublish", args=[work.pk])))
    assert_refused(client.get(reverse("wagtailadmin_pages:add_subpage", args=[area["neighborhood"].pk])))

    work = fresh(work)
    assert work.title == "Pavimentado de la calle Ecuador"
    assert work.live and not work.has_unpublished_changes


def test_reviewer_publishes_the_translation_in_the_editor(
    client, submit_page_for_translation, area, aymara, translator, reviewer, django_capture_on_commit_callbacks
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi"})
    aymara_work = work.get_translation(aymara)

    client.force_login(reviewer)
    response = client.get(edit_url(aymara_work))
    assert editor_props(response)["perms"]["canPublish"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(aymara_work), {"action": "publish"})

    assert response.status_code == 302
    aymara_work = fresh(aymara_work)
    assert aymara_work.title == "Ecuador thakhi lurawi" and aymara_work.live
    assert aymara_work.live_revision.user == reviewer


def test_a_stopped_translation_goes_through_the_areas_review_workflow(
    client, submit_page_for_translation, area, aymara, translator
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    aymara_work = work.get_translation(aymara)

    response = client.post(
        reverse("wagtail_localize:stop_translation", args=[translation.pk]), {"next": edit_url(aymara_work)}
    )
    assert response.status_code == 302
    response = client.get(edit_url(aymara_work))
    assert response.status_code == 200
    assert "js-translation-editor" not in response.content.decode()  # Wagtail's own editor now

    data = form_for_existing(aymara_work, **{"action-submit": "1"})
    data["title"] = "Ecuador thakhi lurawi"
    response = client.post(edit_url(aymara_work), data)

    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(aymara_work.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == area["team"].workflow
    assert list(state.current_task_state.task.specific.groups.all()) == [area["team"].reviewers]
    assert not fresh(aymara_work).live  # nothing public before the reviewers approve


# --- PO files over HTTP ---------------------------------------------------------------------


def download_po(client, translation):
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/x-gettext-translation")
    return polib.pofile(response.content.decode())


def upload_po(client, translation, content, name="traduccion.po"):
    next_url = edit_url(translation.get_target_instance())
    return client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/x-gettext-translation"), "next": next_url},
        follow=True,
    )


def test_po_round_trip_then_a_reviewer_publishes_and_the_aymara_page_shows_it(
    client, submit_page_for_translation, area, aymara, translator, reviewer, django_capture_on_commit_callbacks
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)

    po = download_po(client, translation)
    entries = {entry.msgctxt: entry for entry in po}
    assert entries["title"].msgid == "Pavimentado de la calle Ecuador"
    assert entries["summary"].msgid == "Resumen de la obra"
    assert all(not entry.msgstr for entry in po)
    entries["title"].msgstr = "Ecuador thakhi lurawi"
    entries["summary"].msgstr = "Thakhi lurawi qillqata"

    response = upload_po(client, translation, str(po).encode())

    assert response.status_code == 200
    assert admin_text("Successfully imported translations from PO File.") in messages_of(response)
    translated = dict(
        StringTranslation.objects.filter(locale=aymara, context__object_id=work.translation_key).values_list(
            "context__path", "data"
        )
    )
    assert translated["title"] == "Ecuador thakhi lurawi"
    assert translated["summary"] == "Thakhi lurawi qillqata"
    # Nothing is public before review: the Aymara page still has the Spanish words.
    assert fresh(work.get_translation(aymara)).title == "Pavimentado de la calle Ecuador"

    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(work.get_translation(aymara)), {"action": "publish"})
    client.logout()

    aymara_work = fresh(work.get_translation(aymara))
    assert aymara_work.url.startswith("/ay/")
    response = client.get(aymara_work.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ecuador thakhi lurawi" in content
    assert "Thakhi lurawi qillqata" in content
    assert "Pavimentado de la calle Ecuador" not in content


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00 not a PO file",
        b"Hola, esto no es un archivo PO.\n",
        'msgid "Pavimentado"\nmsgstr "Thakhi"\n'.encode("latin-1") + "año".encode("latin-1"),
    ],
    ids=["an image", "plain text", "not utf-8"],
)
def test_a_broken_po_file_is_refused_with_a_message_and_changes_nothing(
    client, submit_page_for_translation, area, aymara, translator, content
):
    client.force_login(translator)
    translation = submit_page_for_translation(client, area["work"], aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi"})
    before = StringTranslation.objects.count()

    response = upload_po(client, translation, content)

    assert response.status_code == 200
    assert admin_text("Please upload a valid PO file.") in messages_of(response)
    assert StringTranslation.objects.count() == before
    assert StringTranslation.objects.get(locale=aymara, context__path="title").data == "Ecuador thakhi lurawi"


def test_the_po_file_of_another_page_is_refused_with_a_message_and_changes_nothing(
    client, submit_page_for_translation, area, aymara, translator
):
    other = factories.work(area["neighborhood"], title="Muro de contención")
    client.force_login(translator)
    translation = submit_page_for_translation(client, area["work"], aymara)
    other_translation = submit_page_for_translation(client, other, aymara)
    po = download_po(client, other_translation)
    for entry in po:
        entry.msgstr = f"{entry.msgid} (aymara)"
    before = StringTranslation.objects.count()

    response = upload_po(client, translation, str(po).encode())

    assert response.status_code == 200
    assert admin_text("Cannot import PO file that was created for a different translation.") in messages_of(response)
    assert StringTranslation.objects.count() == before


# languages.localize_workarounds.po_upload: wagtail-localize 1.14.5 reads the header without a default.
NO_TRANSLATION_ID = (
    "Please upload a valid PO file: this file is empty or has no X-WagtailLocalize-TranslationID "
    "header. Download the PO file of this translation and translate that one."
)


@pytest.mark.parametrize("broken", ["empty", "without header", "no file"])
def test_a_po_file_without_wagtail_localizes_header_is_refused_with_a_message_and_changes_nothing(
    client, submit_page_for_translation, area, aymara, translator, broken
):
    client.force_login(translator)
    translation = submit_page_for_translation(client, area["work"], aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi"})
    # A complete translation (other tools may drop custom headers: mozilla/pontoon#3596).
    po = download_po(client, translation)
    del po.metadata["X-WagtailLocalize-TranslationID"]
    for entry in po:
        entry.msgstr = f"{entry.msgid} (aymara)"
    before = StringTranslation.objects.count()

    if broken == "no file":
        response = client.post(
            reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
            {"next": edit_url(translation.get_target_instance())},
            follow=True,
        )
    else:
        response = upload_po(client, translation, b"" if broken == "empty" else str(po).encode())

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == edit_url(translation.get_target_instance())
    shown = messages_of(response)
    assert admin_text(NO_TRANSLATION_ID) in shown
    assert any(message.startswith("Suba un archivo PO válido") for message in shown), shown  # in Spanish
    assert admin_text("Successfully imported translations from PO File.") not in shown
    assert StringTranslation.objects.count() == before
    assert StringTranslation.objects.get(locale=aymara, context__path="title").data == "Ecuador thakhi lurawi"


def test_the_po_upload_url_reaches_the_workaround():
    from django.urls import resolve

    from languages.localize_workarounds import po_upload

    view = resolve(reverse("wagtail_localize:upload_pofile", args=[1])).func
    assert (view.__module__, view.__name__) == (po_upload.__name__, "upload_pofile")


def test_a_reviewer_still_uploads_a_po_file_through_the_workaround(
    client, submit_page_for_translation, area, aymara, translator, reviewer
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    client.force_login(reviewer)
    po = download_po(client, translation)
    for entry in po:
        entry.msgstr = {"title": "Ecuador thakhi lurawi"}.get(entry.msgctxt, "")

    response = upload_po(client, translation, str(po).encode())

    assert response.status_code == 200
    shown = messages_of(response)
    assert admin_text("Successfully imported translations from PO File.") in shown
    assert admin_text(NO_TRANSLATION_ID) not in shown
    title = StringTranslation.objects.get(locale=aymara, context__object_id=work.translation_key, context__path="title")
    assert title.data == "Ecuador thakhi lurawi" and title.last_translated_by == reviewer


# --- When the Spanish page changes ----------------------------------------------------------


# wagtail-localize's translations report paginates an unordered queryset (upstream, harmless here).
@pytest.mark.filterwarnings("ignore::django.core.paginator.UnorderedObjectListWarning")
def test_a_changed_source_shows_the_translation_out_of_date_and_keeps_what_was_translated(
    client, submit_page_for_translation, area, aymara, translator, django_capture_on_commit_callbacks
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi", "summary": "Thakhi lurawi qillqata"})
    publish_in_code(translation, django_capture_on_commit_callbacks)
    title_translation = StringTranslation.objects.get(locale=aymara, context__path="title")
    _total, translated_before = translation.get_progress()

    work.summary = "Resumen nuevo: la obra se amplía a la calle Rosendo Gutiérrez"
    work.save_revision().publish()

    # "Sync translated pages", without publishing (the translator may use it, having submit_translation).
    response = client.get(reverse("wagtail_localize:update_translations", args=[translation.source.pk]))
    assert response.status_code == 200
    response = client.post(reverse("wagtail_localize:update_translations", args=[translation.source.pk]), {})
    assert response.status_code == 302

    translation.refresh_from_db()
    assert translation.get_status_display() == admin_text("Waiting for translations")
    assert translation.get_progress()[1] < translated_before
    report = client.get(reverse("wagtail_localize:translations_report"), {"waiting_for_translation": "true"})
    assert report.status_code == 200
    assert "Pavimentado de la calle Ecuador" in report.content.decode()

    # What was translated and is unchanged is kept; the changed summary waits for a translator.
    assert StringTranslation.objects.get(pk=title_translation.pk).data == "Ecuador thakhi lurawi"
    props = editor_props(client.get(edit_url(work.get_translation(aymara))))
    translated_ids = {item["segment_id"] for item in props["initialStringTranslations"]}
    segments = {s["contentPath"]: s for s in props["segments"] if s["type"] == "string"}
    assert segments["title"]["id"] in translated_ids
    assert segments["summary"]["source"] == work.summary
    assert segments["summary"]["id"] not in translated_ids
    # The live Aymara page is untouched until a reviewer publishes the updated translation.
    assert not fresh(work.get_translation(aymara)).has_unpublished_changes


# languages.localize_workarounds.sync_publish: wagtail-localize 1.14.5 checks only submit_translation.
PUBLISH_REFUSED = (
    "You may not publish the translations in %(languages)s, so “Publish immediately” was "
    "ignored: the translations were updated, but none was published."
)


def sync_and_publish(client, translation, next_url, capture):
    with capture(execute=True):
        return client.post(
            reverse("wagtail_localize:update_translations", args=[translation.source.pk]),
            {"publish_translations": "on", "next": next_url},
            follow=True,
        )


def test_a_translator_cannot_publish_through_sync_translated_pages(
    client, submit_page_for_translation, area, aymara, translator, django_capture_on_commit_callbacks
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    publish_in_code(translation, django_capture_on_commit_callbacks)  # a reviewed, published translation
    translate_strings(translation, {"title": "Sin revisar"})
    aymara_work = work.get_translation(aymara)
    revisions_before = aymara_work.revisions.count()
    work.summary = "Resumen nuevo"
    work.save_revision().publish()

    response = sync_and_publish(client, translation, edit_url(aymara_work), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    aymara_work = fresh(aymara_work)
    assert aymara_work.title == work.title != "Sin revisar"  # nothing unreviewed is public
    assert aymara_work.summary == "Resumen de la obra"
    assert aymara_work.revisions.count() == revisions_before and not aymara_work.has_unpublished_changes
    with i18n.override(settings.LANGUAGE_CODE):
        refused = i18n.gettext(PUBLISH_REFUSED) % {"languages": aymara.get_display_name()}
        assert refused.startswith("No puede publicar las traducciones en")  # in Spanish
        synced = i18n.gettext("Successfully updated translations for '{object}'").format(object=work.title)
    shown = messages_of(response)
    assert refused in shown
    # The sync itself went on: the new Spanish summary waits for translators, the title is kept.
    assert synced in shown
    translation.source.refresh_from_db()
    assert translation.source.stringsegment_set.filter(string__data="Resumen nuevo").exists()
    assert StringTranslation.objects.get(locale=aymara, context__path="title").data == "Sin revisar"


def test_the_sync_url_reaches_the_workaround():
    from django.urls import resolve

    from languages.localize_workarounds import sync_publish

    view = resolve(reverse("wagtail_localize:update_translations", args=[1])).func
    assert view.view_class is sync_publish.UpdateTranslationsView


@pytest.mark.parametrize("who", ["superuser", "reviewer who translates"])
def test_someone_allowed_to_publish_still_publishes_through_sync_translated_pages(
    client, submit_page_for_translation, area, aymara, translator, translators, django_capture_on_commit_callbacks, who
):
    work = area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi"})
    aymara_work = work.get_translation(aymara)
    if who == "superuser":
        publisher = factories.user("admin", superuser=True)
    else:
        publisher = factories.user("revisora_traductora", area["team"].reviewers, translators)
    client.force_login(publisher)

    response = sync_and_publish(client, translation, edit_url(aymara_work), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    aymara_work = fresh(aymara_work)
    assert aymara_work.live and aymara_work.title == "Ecuador thakhi lurawi"
    assert aymara_work.live_revision.user == publisher
    with i18n.override(settings.LANGUAGE_CODE):
        refused = i18n.gettext(PUBLISH_REFUSED) % {"languages": aymara.get_display_name()}
    assert refused not in messages_of(response)


# --- Snippets -------------------------------------------------------------------------------


def test_translator_translates_a_work_category_into_aymara(client, aymara, translator):
    category = factories.category(name="Vías y calles", code="vias")
    client.force_login(translator)

    response = client.post(
        reverse("wagtail_localize:submit_snippet_translation", args=["works", "workcategory", category.pk]),
        {"locales": [aymara.pk]},
    )
    assert response.status_code == 302
    aymara_category = category.get_translation(aymara)
    assert aymara_category.code == "vias"

    response = client.get(edit_url(aymara_category))
    assert response.status_code == 200
    props = editor_props(response)
    assert not [s for s in props["segments"] if s["type"] == "synchronised_value"]
    name = next(s for s in props["segments"] if s["contentPath"] == "name")
    assert put_string(client, name["editUrl"], "Thakhinaka").status_code == 201
    # Categories have no drafts: saving the translation in the editor makes it live.
    assert props["perms"]["canPublish"] is True
    response = client.post(edit_url(aymara_category), {"action": "publish"})
    assert response.status_code == 302

    aymara_category.refresh_from_db()
    category.refresh_from_db()
    assert aymara_category.name == "Thakhinaka" and aymara_category.code == "vias"
    assert category.name == "Vías y calles"


def test_the_work_category_chooser_shows_and_filters_by_language(client, aymara, translator):
    spanish = factories.category(name="Agua potable", code="agua")
    aymara_copy = spanish.copy_for_translation(aymara)
    aymara_copy.name = "Umaña uma"
    aymara_copy.save()
    client.force_login(translator)

    response = client.get(reverse("wagtailsnippetchoosers_works_workcategory:choose"))
    assert response.status_code == 200
    chooser = json.loads(response.content)["html"]

    # A language filter, and a language column naming each category's language.
    assert re.search(r'<select name="locale"[^>]*>.*<option value="ay">', chooser, re.DOTALL)
    header = re.search(r"<thead>(.*?)</thead>", chooser, re.DOTALL).group(1)
    assert admin_text("Locale") in header
    with i18n.override(settings.LANGUAGE_CODE):
        spanish_name = Locale.get_default().get_display_name()
        aymara_name = aymara.get_display_name()
    for name, language in (("Agua potable", spanish_name), ("Umaña uma", aymara_name)):
        assert re.search(rf"{name}\s*</a>.*?w-status--label\">\s*{language}\s*<", chooser, re.DOTALL), name

    results = client.get(
        reverse("wagtailsnippetchoosers_works_workcategory:choose_results"), {"locale": "ay"}
    ).content.decode()
    assert "Umaña uma" in results
    assert "Agua potable" not in results
