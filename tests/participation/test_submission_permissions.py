"""Who sees what residents sent: only the owning area's Editors and Reviewers, and superusers.

Two areas, A and B, each with a consultation; A's consultation also has an Aymara translation,
and residents answered it in both languages. Everything goes through the admin over HTTP: the
forms index, the merged submissions list (from either language version), the CSV and XLSX
exports, the delete view and the page editor's submissions panel. Every refusal is paired with
an allowed request on the same URL, so neither can pass by accident.
"""

import io

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import GroupPagePermission, Page

import pytest

from participation.models import ConsultationPage, Submission
from teams.governance import ensure_translators_group
from teams.models import AreaTeam
from tests import factories

pytestmark = pytest.mark.django_db

SPANISH_ANSWER = "Queremos más luminarias en la plaza"
AYMARA_ANSWER = "Plaza wakisiwa jichhaxa"
B_ANSWER = "Respuesta secreta de la zona B"


class Area:
    def __init__(self, letter, answers, translate=False):
        self.page = factories.submunicipality(title=f"Subalcaldía {letter}")
        self.team = AreaTeam.objects.get(translation_key=self.page.translation_key)
        barrio = factories.neighborhood(self.page, title=f"Barrio {letter}")
        with factories.aliases_made():
            self.consultation = factories.consultation(barrio, title=f"Consulta de la zona {letter}")
            self.translated = factories.translation(self.consultation, "ay") if translate else None
        self.editor = factories.user(f"editor_{letter.lower()}", self.team.editors)
        self.reviewer = factories.user(f"revisor_{letter.lower()}", self.team.reviewers)
        self.submissions = [
            factories.submission(
                self.translated if language == "ay" else self.consultation,
                language=language,
                opinion=answer,
                prioridad="Agua",
                nombre="Juana Mamani",
            )
            for language, answer in answers
        ]

    def list_url(self, page=None, **params):
        url = reverse("wagtailforms:list_submissions", args=[(page or self.consultation).pk])
        if params:
            url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
        return url

    def delete_url(self, page=None):
        ids = "&".join(f"selected-submissions={s.pk}" for s in self.submissions)
        return reverse("wagtailforms:delete_submissions", args=[(page or self.consultation).pk]) + "?" + ids


@pytest.fixture
def a():
    return Area("A", [("es", SPANISH_ANSWER), ("ay", AYMARA_ANSWER)], translate=True)


@pytest.fixture
def b(a):
    return Area("B", [("es", B_ANSWER)])


@pytest.fixture
def translator(a):
    return factories.user("traductora", ensure_translators_group())


@pytest.fixture
def site_editor(a):
    """Someone who may edit every page of the site (like Wagtail's stock "Editors" group), but
    is on no area's team."""
    group = Group.objects.create(name="Editores del sitio")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=Page.get_first_root_node(), permission=Permission.objects.get(codename="change_page")
    )
    return factories.user("editora_sitio", group)


@pytest.fixture
def admin(a):
    return factories.user("admin", superuser=True)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def refused(response):
    """Forbidden, not found, or Wagtail's way: back to the dashboard with "permission denied"."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return refused(response)


def admin_text(message):
    """``message`` as the admin shows it (in Spanish, the site's language)."""
    with translation.override("es"):
        return str(gettext(message))


# ---- the forms index and the menu -------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_area_team_finds_its_forms_and_only_those(client, a, b, who):
    client.force_login(getattr(a, who))
    html = client.get(reverse("wagtailforms:index")).content.decode()
    assert "Consulta de la zona A" in html
    assert "Consulta de la zona B" not in html


def test_a_superuser_finds_every_form(client, a, b, admin):
    client.force_login(admin)
    html = client.get(reverse("wagtailforms:index")).content.decode()
    assert "Consulta de la zona A" in html and "Consulta de la zona B" in html


@pytest.mark.parametrize("who", ["translator", "site_editor"])
def test_people_who_edit_pages_but_are_on_no_team_find_no_form(client, a, b, who, request):
    user = request.getfixturevalue(who)
    assert ConsultationPage.objects.get(pk=a.translated.pk).permissions_for_user(user).can_edit()
    client.force_login(user)
    response = client.get(reverse("wagtailforms:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Consulta de la zona A" not in html and "Consulta de la zona B" not in html
    # …and the admin menu has no "Forms" entry for them, while the team's has.
    assert reverse("wagtailforms:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(a.editor)
    assert reverse("wagtailforms:index") in client.get(reverse("wagtailadmin_home")).content.decode()


# ---- the submissions list ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_area_team_reads_the_merged_submissions_from_either_language(client, a, b, who):
    client.force_login(getattr(a, who))
    for page in (a.consultation, a.translated):
        response = client.get(a.list_url(page))
        assert response.status_code == 200
        html = response.content.decode()
        assert SPANISH_ANSWER in html and AYMARA_ANSWER in html
        assert B_ANSWER not in html


def test_another_area_cannot_read_the_submissions(client, a, b):
    client.force_login(b.editor)
    for page in (a.consultation, a.translated):
        response = client.get(a.list_url(page))
        assert refused(response)
        assert SPANISH_ANSWER.encode() not in response.content
        assert AYMARA_ANSWER.encode() not in response.content
    assert client.get(b.list_url()).status_code == 200  # their own, yes


@pytest.mark.parametrize("who", ["translator", "site_editor"])
def test_editors_of_pages_outside_the_team_cannot_read_the_submissions(client, a, who, request):
    client.force_login(request.getfixturevalue(who))
    for page in (a.consultation, a.translated):
        response = client.get(a.list_url(page))
        assert refused(response)
        assert AYMARA_ANSWER.encode() not in response.content


def test_an_anonymous_visitor_is_sent_to_log_in(client, a):
    for url in (reverse("wagtailforms:index"), a.list_url(), a.list_url(export="csv"), a.delete_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert client.post(a.delete_url()).status_code == 302
    assert Submission.objects.count() == 2


def test_a_superuser_reads_every_area(client, a, b, admin):
    client.force_login(admin)
    assert SPANISH_ANSWER in client.get(a.list_url(a.translated)).content.decode()
    assert B_ANSWER in client.get(b.list_url()).content.decode()


# ---- exports ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_team_exports_csv_with_both_languages(client, a, who):
    client.force_login(getattr(a, who))
    response = client.get(a.list_url(a.translated, export="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = body(response).decode()
    assert SPANISH_ANSWER in text and AYMARA_ANSWER in text
    languages = dict(settings.LANGUAGES)
    assert admin_text(languages["ay"]) in text and admin_text(languages["es"]) in text


def test_the_team_exports_xlsx_that_a_spreadsheet_opens(client, a, admin):
    from openpyxl import load_workbook

    for user in (a.editor, a.reviewer, admin):
        client.force_login(user)
        response = client.get(a.list_url(export="xlsx"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        sheet = load_workbook(io.BytesIO(body(response))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 3  # headings and two submissions
        answers = {cell for row in rows[1:] for cell in row}
        assert {SPANISH_ANSWER, AYMARA_ANSWER} <= answers


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["b_editor", "translator", "site_editor"])
def test_no_one_else_can_export(client, a, b, translator, site_editor, who, export):
    user = {"b_editor": b.editor, "translator": translator, "site_editor": site_editor}[who]
    client.force_login(user)
    for page in (a.consultation, a.translated):
        response = client.get(a.list_url(page, export=export))
        assert refused(response)
        assert not response.has_header("Content-Disposition")
        assert SPANISH_ANSWER.encode() not in body(response)


# ---- deleting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_the_team_deletes_submissions(client, a, b, who):
    client.force_login(getattr(a, who))
    assert client.get(a.delete_url()).status_code == 200  # the confirmation page
    response = client.post(a.delete_url(a.translated))
    assert response.status_code == 302
    assert not Submission.objects.filter(page=a.consultation).exists()
    assert Submission.objects.filter(page=b.consultation).count() == 1


def test_a_superuser_deletes_submissions(client, a, admin):
    client.force_login(admin)
    assert client.post(a.delete_url()).status_code == 302
    assert not Submission.objects.filter(page=a.consultation).exists()


@pytest.mark.parametrize("who", ["b_editor", "translator", "site_editor"])
def test_no_one_else_can_delete(client, a, b, translator, site_editor, who):
    user = {"b_editor": b.editor, "translator": translator, "site_editor": site_editor}[who]
    client.force_login(user)
    for page in (a.consultation, a.translated):
        confirmation = client.get(a.delete_url(page))
        assert refused(confirmation)
        assert SPANISH_ANSWER.encode() not in confirmation.content
        assert refused(client.post(a.delete_url(page)))
    assert Submission.objects.filter(page=a.consultation).count() == 2


def test_a_team_cannot_delete_another_areas_submissions_through_its_own_form(client, a, b):
    """The delete view takes the ids from the URL: ids of area A's answers sent to area B's form
    delete nothing."""
    client.force_login(b.editor)
    ids = "&".join(f"selected-submissions={s.pk}" for s in a.submissions)
    url = reverse("wagtailforms:delete_submissions", args=[b.consultation.pk]) + "?" + ids
    client.post(url)
    assert Submission.objects.filter(page=a.consultation).count() == 2


# ---- the page editor's submissions panel ------------------------------------------------------


def edit_page(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_panel_counts_every_language_for_the_team(client, a):
    html = edit_page(client, a.editor, a.consultation)
    assert admin_text("Total submissions") in html
    assert reverse("wagtailforms:list_submissions", args=[a.consultation.pk]) in html


def test_the_editor_panel_shows_nothing_to_a_site_wide_editor(client, a, site_editor):
    html = edit_page(client, site_editor, a.consultation)
    assert admin_text("Total submissions") not in html
    assert reverse("wagtailforms:list_submissions", args=[a.consultation.pk]) not in html
