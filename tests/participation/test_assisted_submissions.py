"""The area team's merged list of submissions and assisted participation.

- The list and its exports merge every language version, with the language, the channel, the
  page an answer was about and who typed it in, then the Spanish original's questions;
  personal answers read "—" once removed; counts by channel sit above the table.
- A team member records an answer given on paper, by phone, at a hearing or at the office: it
  is stored on the original with that channel, date, language and recorder, and is refused,
  with a message next to the field, when something is wrong. Only the owning area's team.
"""

import csv
import datetime
import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from participation.models import Channel, ConsultationFormField, Submission
from participation.wagtail_hooks import record_submission_button
from teams.governance import ensure_translators_group
from teams.models import AreaTeam
from tests import factories
from works.models import PublicWorkPage

pytestmark = pytest.mark.django_db


def admin_text(message):
    with translation.override("es"):
        return str(gettext(message))


@pytest.fixture
def area():
    page = factories.submunicipality(title="Subalcaldía Sur")
    team = AreaTeam.objects.get(translation_key=page.translation_key)
    barrio = factories.neighborhood(page, title="Obrajes")
    with factories.aliases_made():
        consultation = factories.consultation(barrio, title="Consulta de la plaza")
        aymara = factories.translation(consultation, "ay")
    return {
        "page": page,
        "barrio": barrio,
        "consultation": consultation,
        "aymara": aymara,
        "editor": factories.user("editora_sur", team.editors),
        "reviewer": factories.user("revisor_sur", team.reviewers),
    }


def record_url(page):
    return reverse("participation_record_submission", args=[page.pk])


def list_url(page, **params):
    url = reverse("wagtailforms:list_submissions", args=[page.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def export_rows(client, page):
    response = client.get(list_url(page, export="csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def valid_post(**overrides):
    data = {
        "opinion": "Que la plaza tenga más bancas",
        "prioridad": "Vías",
        "nombre": "",
        "assisted-channel": "paper",
        "assisted-received_on": (timezone.localdate()).isoformat(),
        "assisted-language": "qu",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# ---- the merged list and its exports ----------------------------------------------------------


def test_exports_have_participation_columns_then_the_originals_questions(client, area):
    # The Aymara version asks in Aymara; the export still heads the columns in Spanish.
    ConsultationFormField.objects.filter(page=area["aymara"], clean_name="opinion").update(label="Kuna amuyasa?")
    work = factories.work(area["barrio"], title="Pavimentación de la calle 1")
    factories.submission(area["aymara"], language="ay", opinion="Walikiwa", prioridad="Agua")
    paper = factories.submission(area["consultation"], channel="paper", opinion="En papel", prioridad="Vías")
    Submission.objects.filter(pk=paper.pk).update(about_page=work, recorded_by=area["editor"])
    area["editor"].first_name, area["editor"].last_name = "Rosa", "Quispe"
    area["editor"].save()

    client.force_login(area["reviewer"])
    heading, *rows = export_rows(client, area["aymara"])
    with translation.override("es"):
        assert heading == [
            str(label)
            for label in (
                gettext("Submission date"),
                gettext("Language"),
                gettext("Channel"),
                gettext("About page"),
                gettext("Recorded by"),
                "¿Qué opina del proyecto?",
                "¿Qué es lo más urgente?",
                "Su nombre",
                gettext("Consent to personal data"),
            )
        ]
        languages = dict(settings.LANGUAGES)
        assert rows[0][1:5] == [str(languages["ay"]), str(Channel.WEB.label), "", ""]
        assert rows[1][1:5] == [
            str(languages["es"]),
            str(Channel.PAPER.label),
            "Pavimentación de la calle 1",
            "Rosa Quispe",
        ]
    assert rows[0][5:7] == ["Walikiwa", "Agua"]


def test_the_list_shows_both_languages_and_counts_by_channel(client, area):
    for channel in ("web", "web", "paper", "phone"):
        factories.submission(area["consultation"], channel=channel, opinion=f"Por {channel}", prioridad="Agua")
    factories.submission(area["aymara"], language="ay", opinion="Aymara web", prioridad="Agua")
    client.force_login(area["editor"])
    html = client.get(list_url(area["aymara"])).content.decode()
    assert "Aymara web" in html and "Por paper" in html
    with translation.override("es"):
        summary = html[html.index("data-channel-counts") :]
        summary = summary[: summary.index("</ul>")]
        assert f"{Channel.WEB.label}</span> 3" in summary
        assert f"{Channel.PAPER.label}</span> 1" in summary
        assert f"{Channel.PHONE.label}</span> 1" in summary
        assert str(Channel.HEARING.label) not in summary
    assert admin_text("Record a submission") in html
    assert record_url(area["aymara"]) in html


def test_removed_personal_data_reads_as_a_dash(client, area):
    factories.submission(area["consultation"], opinion="Sigue", prioridad="Agua", nombre="Ana", consent=True)
    removed = factories.submission(area["consultation"], opinion="Anónima ya", prioridad="Agua")
    Submission.objects.filter(pk=removed.pk).update(personal_data_removed_at=timezone.now())
    client.force_login(area["editor"])
    _heading, *rows = export_rows(client, area["consultation"])
    by_answer = {row[5]: row for row in rows}
    assert by_answer["Sigue"][7:] == ["Ana", admin_text("Yes")]
    assert by_answer["Anónima ya"][7:] == ["—", "—"]


def test_exports_quote_answers_a_spreadsheet_would_run_as_formulas(client, area):
    from openpyxl import load_workbook

    factories.submission(area["consultation"], opinion='=HYPERLINK("http://malo.example","clic")', prioridad="Agua")
    client.force_login(area["editor"])
    _heading, row = export_rows(client, area["consultation"])
    assert row[5] == '\'=HYPERLINK("http://malo.example","clic")'
    response = client.get(list_url(area["consultation"], export="xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = list(sheet.iter_rows(min_row=2))[0][5]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://malo.example","clic")', "s")  # text, not a formula


def test_multiple_choice_answers_are_joined(client, area):
    barrio = area["barrio"]
    consultation = factories.consultation(
        barrio, questions=(("temas", "Temas", "checkboxes", "Agua\nVías\nParques", False),)
    )
    factories.submission(consultation, temas=["Agua", "Parques"])
    client.force_login(area["editor"])
    _heading, row = export_rows(client, consultation)
    assert row[5] == "Agua, Parques"


# ---- recording a submission -------------------------------------------------------------------


def test_the_form_shows_the_originals_questions_and_no_web_channel(client, area):
    ConsultationFormField.objects.filter(page=area["aymara"], clean_name="opinion").update(label="Kuna amuyasa?")
    client.force_login(area["editor"])
    response = client.get(record_url(area["aymara"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "¿Qué opina del proyecto?" in html and "Kuna amuyasa?" not in html
    assert 'value="paper"' in html and 'value="hearing"' in html and 'value="web"' not in html
    assert "Para responderle. Se borra a los 180 días." in html  # the personal data notice


def test_recording_stores_it_on_the_original_with_channel_date_language_and_recorder(client, area):
    client.force_login(area["editor"])
    received = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(record_url(area["aymara"]), valid_post(**{"assisted-received_on": received.isoformat()}))
    assert response.status_code == 302
    assert response["Location"] == list_url(area["consultation"])
    submission = Submission.objects.get()
    assert submission.page_id == area["consultation"].pk
    assert (submission.channel, submission.language, submission.recorded_by) == ("paper", "qu", area["editor"])
    assert timezone.localtime(submission.submit_time).date() == received
    assert submission.form_data == {"opinion": "Que la plaza tenga más bancas", "prioridad": "Vías", "nombre": ""}
    heading, row = export_rows(client, area["consultation"])
    with translation.override("es"):
        assert row[2] == str(Channel.PAPER.label)
    assert row[4] == "editora_sur"


def test_personal_data_needs_the_residents_consent(client, area):
    client.force_login(area["reviewer"])
    response = client.post(record_url(area["consultation"]), valid_post(nombre="Juan Choque"))
    assert response.status_code == 200
    assert not Submission.objects.exists()
    assert response.context["details"].errors["consent"]

    client.post(record_url(area["consultation"]), valid_post(nombre="Juan Choque", **{"assisted-consent": "on"}))
    assert Submission.objects.get().form_data["consent"] is True


@pytest.mark.parametrize(
    "overrides",
    [
        {"assisted-channel": "web"},
        {"assisted-channel": ""},
        {"assisted-received_on": "no es fecha"},
        {"assisted-received_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
        {"assisted-received_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat()},  # before it opened
        {"assisted-language": "xx"},
        {"prioridad": "Otra cosa"},
        {"opinion": ""},
        {"opinion": "x" * 6000},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, area, overrides):
    client.force_login(area["editor"])
    response = client.post(record_url(area["consultation"]), valid_post(**overrides))
    assert response.status_code == 200
    assert response.context["answers"].errors or response.context["details"].errors
    assert not Submission.objects.exists()


def test_feedback_is_recorded_about_a_page_that_shows_the_form(client, area):
    form = factories.feedback_form(area["barrio"], title="Su opinión sobre las obras")
    work = factories.work(area["barrio"], title="Muro de contención")
    other = factories.work(area["barrio"], title="Otra obra")
    work.feedback_form = form
    work.save_revision().publish()
    client.force_login(area["editor"])
    html = client.get(record_url(form)).content.decode()
    assert "Muro de contención" in html and "Otra obra" not in html

    response = client.post(
        record_url(form),
        {
            "opinion": "Bien",
            "assisted-channel": "phone",
            "assisted-language": "es",
            "assisted-received_on": timezone.localdate().isoformat(),
            "assisted-about_page": other.pk,
        },
    )
    assert response.status_code == 200 and not Submission.objects.exists()
    client.post(
        record_url(form),
        {
            "opinion": "Bien",
            "assisted-channel": "phone",
            "assisted-language": "es",
            "assisted-received_on": timezone.localdate().isoformat(),
            "assisted-about_page": work.pk,
        },
    )
    submission = Submission.objects.get()
    assert (submission.about_page_id, submission.channel) == (work.pk, "phone")
    assert PublicWorkPage.objects.get(pk=work.pk).feedback_form_id == form.pk


# ---- who may record ---------------------------------------------------------------------------


def test_only_the_owning_areas_team_may_record(client, area):
    other_area = factories.submunicipality(title="Subalcaldía Centro")
    other_editor = factories.user(
        "editor_centro", AreaTeam.objects.get(translation_key=other_area.translation_key).editors
    )
    translator = factories.user("traductor", ensure_translators_group())
    admin = factories.user("admin", superuser=True)

    for user in (other_editor, translator):
        client.force_login(user)
        for page in (area["consultation"], area["aymara"]):
            assert client.get(record_url(page)).status_code in (302, 403)
            response = client.post(record_url(page), valid_post())
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert response["Location"] == reverse("wagtailadmin_home")
    assert not Submission.objects.exists()

    client.logout()
    response = client.post(record_url(area["consultation"]), valid_post())
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    assert not Submission.objects.exists()

    for user in (area["reviewer"], admin):
        client.force_login(user)
        assert client.post(record_url(area["consultation"]), valid_post()).status_code == 302
    assert Submission.objects.filter(channel="paper").count() == 2


def test_a_page_that_is_not_a_form_has_nothing_to_record(client, area):
    client.force_login(area["editor"])
    assert client.get(record_url(area["barrio"])).status_code == 404
    assert client.get(reverse("participation_record_submission", args=[999999])).status_code == 404


def test_the_page_listing_offers_recording_to_the_team_only(client, area):
    translator = factories.user("traductor", ensure_translators_group())
    assert record_submission_button(area["aymara"], area["editor"])
    assert record_submission_button(area["aymara"], translator) == []
    assert record_submission_button(area["barrio"], area["editor"]) == []
    client.force_login(area["editor"])
    html = client.get(reverse("wagtailadmin_explore", args=[area["barrio"].pk])).content.decode()
    assert record_url(area["consultation"]) in html


def test_an_answer_with_a_control_character_does_not_break_the_xlsx_export(client, area):
    from openpyxl import load_workbook

    factories.submission(area["consultation"], opinion="Primera\vlínea", prioridad="Agua")
    client.force_login(area["editor"])
    response = client.get(list_url(area["consultation"], export="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = list(sheet.iter_rows(min_row=2))[0][5]
    assert cell.value == "Primera\ufffdlínea"
    _heading, row = export_rows(client, area["consultation"])
    assert row[5] == "Primera\vlínea", "the CSV keeps the answer as it was typed"
