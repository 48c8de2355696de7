"""The people and places of the languages' tests: an area with a public work, its team, a
translator, and "Translate this page" over HTTP."""

from django.urls import reverse

from wagtail.models import Locale
from wagtail_localize.models import Translation

import pytest

from teams.governance import ensure_translators_group
from teams.models import AreaTeam
from tests import factories


@pytest.fixture
def aymara():
    return Locale.objects.get(language_code="ay")


@pytest.fixture
def area():
    page = factories.submunicipality(title="Subalcaldía Centro")
    neighborhood = factories.neighborhood(page, title="Sopocachi", boundary=factories.SQUARE, population=1000)
    work = factories.work(neighborhood, title="Pavimentado de la calle Ecuador")
    return {
        "page": page,
        "neighborhood": neighborhood,
        "work": work,
        "team": AreaTeam.objects.get(translation_key=page.translation_key),
    }


@pytest.fixture
def translators():
    return ensure_translators_group()


@pytest.fixture
def translator(translators):
    return factories.user("traductora", translators)


@pytest.fixture
def reviewer(area):
    return factories.user("revisora", area["team"].reviewers)


@pytest.fixture
def admin_user():
    return factories.user("admin", superuser=True)


@pytest.fixture
def submit_page_for_translation(django_capture_on_commit_callbacks):
    """POST "Translate this page" into one language; its copy is published on commit, as in the admin."""

    def submit(client, page, locale):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [locale.pk]}
            )
        assert response.status_code == 302, response.content[:2000]
        return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)

    return submit
