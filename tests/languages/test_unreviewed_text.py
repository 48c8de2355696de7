"""No route puts a translator's text live: only someone allowed to publish does, and until then
the public page in that language keeps showing the Spanish original, labelled as such.

Each route is tried as the translator, through the real admin views: "Translate this page"
(wagtail-localize publishes it by default), the translation editor's strings and PO upload,
"Convert to alias" then translating again, "Sync translated pages", restoring a revision,
copying and moving. The area's aliases exist, as on a real site (``factories.aliases_made``).
"""

import re

from django.urls import reverse

from wagtail.models import Page, PageLogEntry
from wagtail_localize.models import Translation

import pytest

from teams.models import AreaTeam
from tests import factories
from tests.languages.test_translation_workflow import assert_refused, edit_url, fresh, translate_strings

pytestmark = pytest.mark.django_db

UNREVIEWED = "Qillqata janiw uñakipatäkiti"  # what the translator typed, never reviewed


@pytest.fixture
def site_area():
    """An area, a neighbourhood and a work, published, with their aliases in every language."""
    with factories.aliases_made():
        page = factories.submunicipality(title="Subalcaldía Centro")
        neighborhood = factories.neighborhood(page, title="Sopocachi", boundary=factories.SQUARE, population=1000)
        work = factories.work(neighborhood, title="Pavimentado de la calle Ecuador")
        news = factories.news(neighborhood, title="Feria del barrio")
    return {
        "page": page,
        "neighborhood": neighborhood,
        "work": work,
        "news": news,
        "team": AreaTeam.objects.get(translation_key=page.translation_key),
    }


@pytest.fixture
def centre_reviewer(site_area):
    return factories.user("revisora_centro", site_area["team"].reviewers)


def public(client, page):
    client.logout()
    response = client.get(fresh(page).url)
    assert response.status_code == 200
    return response.content.decode()


def shows_spanish_original(content):
    """The "not translated yet" notice, and the content marked as Spanish."""
    return "untranslated-notice" in content and re.search(r'class="page-content" lang="es"', content) is not None


def publish_as(client, user, page, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(edit_url(page), {"action": "publish"})
    assert response.status_code == 302
    return fresh(page)


def test_translate_this_page_keeps_the_spanish_original_public_until_a_reviewer_publishes(
    client,
    submit_page_for_translation,
    site_area,
    aymara,
    translator,
    centre_reviewer,
    django_capture_on_commit_callbacks,
):
    work = site_area["work"]
    aymara_work = work.get_translation(aymara)
    assert aymara_work.alias_of_id == work.pk and shows_spanish_original(public(client, aymara_work))

    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    translate_strings(translation, {"title": UNREVIEWED})

    aymara_work = fresh(aymara_work)
    assert aymara_work.alias_of_id is None  # a translation now, which the editor can open
    assert aymara_work.live and aymara_work.live_revision_id is None and aymara_work.has_unpublished_changes
    assert aymara_work.title == work.title
    content = public(client, aymara_work)
    assert UNREVIEWED not in content and work.title in content
    assert shows_spanish_original(content)

    # Meanwhile the Spanish page changes: the waiting translation shows the new Spanish text.
    work.title = "Pavimentado y aceras de la calle Ecuador"
    with django_capture_on_commit_callbacks(execute=True):
        work.save_revision().publish()
    content = public(client, aymara_work)
    assert "Pavimentado y aceras de la calle Ecuador" in content and shows_spanish_original(content)
    assert fresh(aymara_work).has_unpublished_changes  # the draft still waits for review

    aymara_work = publish_as(client, centre_reviewer, aymara_work, django_capture_on_commit_callbacks)
    assert aymara_work.title == UNREVIEWED and aymara_work.live_revision.user == centre_reviewer
    content = public(client, aymara_work)
    assert UNREVIEWED in content and not shows_spanish_original(content)


def test_convert_to_alias_is_refused_to_a_translator_and_translating_again_publishes_nothing(
    client,
    submit_page_for_translation,
    site_area,
    aymara,
    translator,
    centre_reviewer,
    admin_user,
    django_capture_on_commit_callbacks,
):
    work = site_area["work"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi"})
    aymara_work = publish_as(client, centre_reviewer, work.get_translation(aymara), django_capture_on_commit_callbacks)
    translate_strings(translation, {"title": UNREVIEWED})

    client.force_login(translator)
    convert = reverse("wagtail_localize:convert_to_alias", args=[aymara_work.pk])
    assert "localize-convert-to-alias" not in client.get(edit_url(aymara_work)).content.decode()
    assert_refused(client.get(convert))
    assert_refused(client.post(convert))
    assert fresh(aymara_work).alias_of_id is None and fresh(aymara_work).title == "Ecuador thakhi lurawi"

    # An administrator may convert it back; the translator's "Translate this page" then publishes nothing.
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(convert).status_code == 302
    assert fresh(aymara_work).alias_of_id == work.pk
    client.force_login(translator)
    submit_page_for_translation(client, work, aymara)

    aymara_work = fresh(aymara_work)
    assert aymara_work.title == work.title and aymara_work.live_revision_id is None
    assert not PageLogEntry.objects.filter(page=aymara_work, action="wagtail.publish", user=translator).exists()
    content = public(client, aymara_work)
    assert UNREVIEWED not in content and shows_spanish_original(content)


def test_a_published_translation_stays_as_reviewed_through_the_translators_other_routes(
    client,
    submit_page_for_translation,
    site_area,
    aymara,
    translator,
    centre_reviewer,
    django_capture_on_commit_callbacks,
):
    work, neighborhood = site_area["work"], site_area["neighborhood"]
    client.force_login(translator)
    translation = submit_page_for_translation(client, work, aymara)
    translate_strings(translation, {"title": "Ecuador thakhi lurawi"})
    aymara_work = publish_as(client, centre_reviewer, work.get_translation(aymara), django_capture_on_commit_callbacks)
    first_revision = aymara_work.revisions.order_by("pk").first()
    translate_strings(translation, {"title": UNREVIEWED})
    client.force_login(translator)

    # The editor's publish, and a revision restored and published.
    assert_refused(client.post(edit_url(aymara_work), {"action": "publish"}))
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[aymara_work.pk, first_revision.pk])
    assert_refused(client.post(revert, {"action": "publish"}))
    # "Sync translated pages" with "Publish immediately".
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wagtail_localize:update_translations", args=[translation.source.pk]),
            {"publish_translations": "on"},
        )
    # Copy, asking to publish the copy or to make a live alias of it: a news page gives a draft
    # copy at most; a work is not copied at all (its project code is unique), with the reason.
    aymara_neighborhood = neighborhood.get_translation(aymara)
    aymara_news = site_area["news"].get_translation(aymara)
    for number, extra in enumerate(({"publish_copies": "on"}, {"alias": "on"})):
        for page in (aymara_news, aymara_work):
            response = client.post(
                reverse("wagtailadmin_pages:copy", args=[page.pk]),
                {
                    "new_title": "Copia",
                    "new_slug": f"copia-{number}",
                    "new_parent_page": aymara_neighborhood.pk,
                    **extra,
                },
                follow=True,
            )
            assert response.status_code == 200
    assert not Page.objects.filter(live=True, title="Copia").exists()
    assert not Page.objects.filter(title="Copia").exclude(content_type=aymara_news.content_type).exists()
    assert (
        "A public work cannot be copied" in response.content.decode()
        or "no se puede copiar" in response.content.decode()
    )
    # Move it elsewhere in the Aymara tree.
    aymara_area = site_area["page"].get_translation(aymara)
    assert_refused(client.post(reverse("wagtailadmin_pages:move_confirm", args=[aymara_work.pk, aymara_area.pk])))

    aymara_work = fresh(aymara_work)
    assert aymara_work.title == "Ecuador thakhi lurawi" and aymara_work.live
    assert aymara_work.get_parent().pk == aymara_neighborhood.pk
    assert aymara_work.live_revision.user == centre_reviewer
    assert UNREVIEWED not in public(client, aymara_work)
    assert Translation.objects.get(pk=translation.pk).enabled
