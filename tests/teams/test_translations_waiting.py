"""Reviewers see, on their dashboard, the translations of their area waiting to be published."""

from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

import pytest

from teams.areas import translations_waiting_for
from teams.models import AreaTeam
from tests import factories

pytestmark = pytest.mark.django_db

PANEL = 'id="translations-waiting-heading"'


@pytest.fixture
def areas():
    with factories.aliases_made():
        centro = factories.submunicipality(title="Centro")
        work = factories.work(factories.neighborhood(centro, title="San Jorge"), title="Graderías de San Jorge")
        sur = factories.submunicipality(title="Sur")
    team = AreaTeam.objects.get(translation_key=centro.translation_key)
    other = AreaTeam.objects.get(translation_key=sur.translation_key)
    return {
        "work": work,
        "reviewer": factories.user("revisora", team.reviewers),
        "editor": factories.user("editora", team.editors),
        "other reviewer": factories.user("revisor-sur", other.reviewers),
    }


def start_translation(instance, language_code):
    source, _created = TranslationSource.get_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=Locale.objects.get(language_code=language_code)
    )
    translation.save_target()  # what saving in the translation editor does: not published
    return translation


def dashboard(client, user):
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_a_started_translation_waits_for_its_areas_reviewers_and_leaves_once_published(
    client, areas, django_capture_on_commit_callbacks
):
    assert PANEL not in dashboard(client, areas["reviewer"]), "nothing is waiting yet: aliases are not translations"
    translation = start_translation(areas["work"], "ay")
    aymara = areas["work"].get_translation(Locale.objects.get(language_code="ay"))
    assert [page.pk for page in translations_waiting_for(areas["reviewer"])] == [aymara.pk]

    markup = dashboard(client, areas["reviewer"])
    assert PANEL in markup
    assert f"/admin/pages/{aymara.pk}/edit/" in markup
    assert PANEL not in dashboard(client, areas["other reviewer"]), "another area's reviewers"
    assert PANEL not in dashboard(client, areas["editor"]), "editors do not publish"
    assert PANEL in dashboard(client, factories.user("admin", superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)  # a reviewer publishes it
    assert translations_waiting_for(areas["reviewer"]) == []
    assert PANEL not in dashboard(client, areas["reviewer"])
