"""A resident reads a consultation and answers it while it is open: before it opens they see its
dates and no form; once it has closed, the results and the municipality's response instead of
the form, and answers sent late (even while they were typing) are refused with a message. Every
accepted answer is stored first, then the area's team is e-mailed in the background; a mail
server that is down never loses an answer nor shows the resident an error."""

import datetime
import re
import socket

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

import pytest

from participation.abuse import HONEYPOT_FIELD
from participation.models import ConsultationHearing, ConsultationPage, Submission
from teams.models import AreaTeam
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ANSWERS = {"opinion": "Que pongan más bancas", "prioridad": "Agua"}


def spanish(text, context=None):
    """The text a Spanish reader sees (the catalog's translation, or the English msgid until then)."""
    with translation.override("es"):
        return pgettext(context, text) if context else gettext(text)


@pytest.fixture
def area():
    return factories.submunicipality(title="Subalcaldía Sur")


@pytest.fixture
def barrio(area):
    return factories.neighborhood(area, title="Obrajes")


@pytest.fixture
def consultation(barrio):
    return factories.consultation(
        barrio,
        title="Plaza de Obrajes",
        question="¿Cómo mejoramos la plaza?",
        to_address="equipo-sur@example.org",
        thank_you_text="<p>Gracias por su respuesta.</p>",
    )


def html(response):
    return response.content.decode()


def post(client, page, **answers):
    """Send the answers as a browser does: an accepted answer is redirected (303) to the page's
    thank-you, which the browser then opens."""
    return client.post(page.url, {**ANSWERS, **answers}, follow=True)


def test_an_upcoming_consultation_shows_its_dates_and_no_form(client, barrio):
    opens = timezone.now() + 3 * DAY
    page = factories.consultation(barrio, opens_at=opens, closes_at=opens + 10 * DAY)
    response = client.get(page.url)
    body = html(response)
    assert response.status_code == 200
    assert '<form class="participation-form"' not in body
    assert f'<time datetime="{timezone.localtime(opens).isoformat()}"' in body
    assert spanish("Upcoming", "consultation status") in body
    assert "status-badge-upcoming" in body


def test_an_open_consultation_shows_its_form_with_labels_marks_consent_and_the_spam_trap(client, consultation):
    response = client.get(consultation.url)
    body = html(response)
    assert response.status_code == 200
    assert "status-badge-open" in body
    assert spanish("Open", "consultation status") in body
    assert f'action="{consultation.url}"' in body
    # Every question has its label tied to its input, and says whether it must be answered.
    assert '<label for="field-opinion">¿Qué opina del proyecto?' in body
    assert '<label for="field-nombre">Su nombre' in body
    assert '<textarea name="opinion"' in body and 'id="field-opinion"' in body
    assert body.count(f"({spanish('required', 'form question')})") >= 2
    assert f"({spanish('optional, personal data')})" in body
    # Choices are a group with a legend; each option has its label.
    assert "<legend>¿Qué es lo más urgente?" in body
    assert re.search(r'<input type="radio" name="prioridad" value="Agua"[^>]*id="field-prioridad_0"', body)
    assert '<label for="field-prioridad_0">Agua</label>' in body
    # The personal question is followed by the notice and the consent box.
    assert 'id="consent-notice"' in body and "Se borra a los 180 días" in body
    assert re.search(r'<input type="checkbox" name="consent"[^>]*aria-describedby="consent-notice"', body)
    # The spam trap is there, hidden from people and from the keyboard.
    assert f'name="{HONEYPOT_FIELD}"' in body and 'tabindex="-1"' in body and 'autocomplete="off"' in body
    # Lengths are bounded in the page too.
    assert 'maxlength="5000"' in body


def test_an_answer_is_stored_on_the_page_with_language_and_channel_then_the_resident_is_thanked(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, consultation)
    assert response.redirect_chain == [(f"{consultation.url}?gracias=1", 303)]
    assert response.status_code == 200
    assert "Gracias por su respuesta." in html(response)
    [submission] = Submission.objects.all()
    assert submission.page_id == consultation.pk
    assert submission.language == "es"
    assert submission.channel == "web"
    assert submission.about_page is None
    assert submission.form_data == {"opinion": "Que pongan más bancas", "prioridad": "Agua", "nombre": ""}


def test_reloading_the_thank_you_sends_nothing_again(client, consultation):
    post(client, consultation)
    response = client.get(f"{consultation.url}?gracias=1")
    assert "Gracias por su respuesta." in html(response)
    assert 'name="opinion"' not in html(response)
    assert Submission.objects.count() == 1


def test_answers_with_errors_come_back_kept_with_each_error_tied_to_its_field(client, consultation):
    response = client.post(consultation.url, {"opinion": "Mi opinión", "prioridad": "No existe"})
    body = html(response)
    assert response.status_code == 200
    assert not Submission.objects.exists()
    assert 'role="alert"' in body
    assert re.search(r'<input type="radio" name="prioridad"[^>]*aria-describedby="field-prioridad-error"', body)
    assert re.search(r'<input type="radio" name="prioridad"[^>]*aria-invalid="true"', body)
    assert 'id="field-prioridad-error"' in body
    assert re.search(r">\s*Mi opinión</textarea>", body)
    assert 'href="#field-prioridad_0"' in body


def test_a_wrong_type_of_answer_is_an_error_not_a_server_error(client, barrio):
    questions = (("vecinos", "¿Cuántas personas viven en su casa?", "number", "", False),)
    page = factories.consultation(barrio, questions=questions)
    response = client.post(page.url, {"vecinos": "muchas"})
    assert response.status_code == 200
    assert 'id="field-vecinos-error"' in html(response)
    response = client.post(page.url, {"vecinos": "1e400"})
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_dates_are_asked_with_the_phones_date_picker_and_stored_as_iso(client, barrio):
    questions = (
        ("dia", "¿Qué día puede venir?", "date", "", False),
        ("hora", "¿Y a qué hora?", "datetime", "", False),
    )
    page = factories.consultation(barrio, questions=questions)
    body = html(client.get(page.url))
    assert re.search(r'<input type="date" name="dia"[^>]*required', body)
    assert '<input type="datetime-local" name="hora"' in body
    response = client.post(page.url, {"dia": "2026-12-05", "hora": "2026-12-05T18:30"})
    assert response.status_code == 303
    data = Submission.objects.get().form_data
    assert data["dia"] == "2026-12-05" and data["hora"].startswith("2026-12-05T18:30")
    # A wrong date comes back as written, with the error.
    body = html(client.post(page.url, {"dia": "2026-13-45", "hora": "2026-12-05T18:30"}))
    assert 'id="field-dia-error"' in body and 'value="2026-13-45"' in body


def test_personal_data_needs_consent_and_the_consent_is_recorded(client, consultation):
    response = post(client, consultation, nombre="Ana Mamani")
    body = html(response)
    assert not Submission.objects.exists()
    assert 'id="field-consent-error"' in body
    assert re.search(r'name="consent"[^>]*aria-describedby="consent-notice field-consent-error"', body)

    post(client, consultation, nombre="Ana Mamani", consent="on")
    [submission] = Submission.objects.all()
    assert submission.form_data["nombre"] == "Ana Mamani"
    assert submission.form_data["consent"] is True


def test_without_personal_data_no_consent_is_needed_nor_recorded(client, consultation):
    post(client, consultation)
    assert "consent" not in Submission.objects.get().form_data


def test_a_robot_filling_the_spam_trap_is_thanked_and_nothing_is_stored(client, consultation):
    response = post(client, consultation, **{HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 200
    assert "Gracias por su respuesta." in html(response)
    assert not Submission.objects.exists()


def test_past_the_rate_limit_the_answers_are_kept_and_the_resident_told_to_wait(client, consultation, settings):
    settings.PARTICIPATION_RATE_LIMIT = "2/600"
    assert post(client, consultation).status_code == 200
    assert post(client, consultation).status_code == 200
    response = post(client, consultation, opinion="Tercera opinión")
    assert response.status_code == 429
    assert re.search(r">\s*Tercera opinión</textarea>", html(response))
    assert Submission.objects.count() == 2


def test_a_consultation_that_closes_while_the_resident_types_refuses_the_answers_and_shows_the_results(
    client, consultation
):
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        results_summary="<p>Respondieron 120 vecinos.</p>", response="<p>Pondremos bancas.</p>"
    )
    assert '<form class="participation-form"' in html(client.get(consultation.url))
    # While the resident types, the consultation closes.
    ConsultationPage.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    response = post(client, consultation)
    body = html(response)
    assert response.status_code == 409
    assert not Submission.objects.exists()
    assert spanish("This consultation has closed: your answers were not saved.") in body
    assert 'role="alert"' in body
    assert "Respondieron 120 vecinos." in body and "Pondremos bancas." in body
    assert '<form class="participation-form"' not in body


def test_answers_sent_before_a_consultation_opens_are_refused(client, barrio):
    page = factories.consultation(barrio, opens_at=timezone.now() + DAY, closes_at=timezone.now() + 9 * DAY)
    response = post(client, page)
    assert response.status_code == 409
    assert not Submission.objects.exists()


def test_a_closed_consultation_shows_results_and_response_instead_of_the_form(client, barrio):
    page = factories.consultation(
        barrio,
        opens_at=timezone.now() - 30 * DAY,
        closes_at=timezone.now() - DAY,
        results_summary="<p>El 70 % pidió agua.</p>",
        response="<p>Ampliaremos la red de agua en 2027.</p>",
    )
    body = html(client.get(page.url))
    assert "status-badge-closed" in body and spanish("Closed", "consultation status") in body
    assert "El 70 % pidió agua." in body and "Ampliaremos la red de agua en 2027." in body
    assert '<form class="participation-form"' not in body


def test_a_closed_consultation_without_results_yet_says_they_will_come(client, barrio):
    page = factories.consultation(barrio, opens_at=timezone.now() - 30 * DAY, closes_at=timezone.now() - DAY)
    body = html(client.get(page.url))
    assert spanish("This consultation has closed. The results will be published here soon.") in body


def test_hearings_are_listed_in_date_order_with_date_place_and_address(client, barrio):
    first = timezone.now() + 2 * DAY
    page = factories.consultation(
        barrio,
        hearings=[
            ConsultationHearing(starts_at=first + 7 * DAY, place="Cancha de Obrajes"),
            ConsultationHearing(starts_at=first, place="Sede de la Junta Vecinal", address="Calle 5 nº 120"),
        ],
    )
    body = html(client.get(page.url))
    assert spanish("Citizen hearings") in body
    assert body.index("Sede de la Junta Vecinal") < body.index("Cancha de Obrajes")
    assert f'<time datetime="{timezone.localtime(first).isoformat()}"' in body
    assert "Calle 5 nº 120" in body


def test_the_thank_you_page_says_when_the_consultation_closes_and_links_back(client, barrio):
    page = factories.consultation(barrio)
    body = html(post(client, page))
    assert spanish("Thank you: your answer was received.") in body
    assert f'href="{page.url}"' in body


@pytest.mark.parametrize("mode", ["form", "landing"])
def test_editors_preview_the_form_and_the_thank_you_page(consultation, mode):
    response = consultation.make_preview_request(preview_mode=mode)
    assert response.status_code == 200
    body = response.render().content.decode()
    assert ('<form class="participation-form"' in body) is (mode == "form")
    assert ("Gracias por su respuesta." in body) is (mode == "landing")


# --- Telling the area's team ---------------------------------------------------------------------


def test_the_team_is_emailed_after_the_answer_is_stored_without_personal_data_in_the_mail(
    client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(client, consultation, nombre="Ana Mamani", consent="on")
        assert Submission.objects.count() == 1 and not mail.outbox  # stored first, mailed on commit
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["equipo-sur@example.org"]
    assert "Plaza de Obrajes" in message.subject
    assert "Ana Mamani" not in message.subject and "Ana Mamani" not in message.body
    assert "¿Qué opina del proyecto?: Que pongan más bancas" in message.body
    assert "¿Qué es lo más urgente?: Agua" in message.body
    assert f"http://testserver/admin/forms/submissions/{consultation.pk}/" in message.body


def test_without_addresses_on_the_form_the_areas_editors_and_reviewers_are_emailed(
    client, area, barrio, django_capture_on_commit_callbacks
):
    team = AreaTeam.objects.get(translation_key=area.translation_key)
    factories.user("editora", team.editors)
    factories.user("revisor", team.reviewers)
    factories.user("otra")  # on no team
    page = factories.consultation(barrio)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, page)
    [message] = mail.outbox
    assert sorted(message.to) == ["editora@example.org", "revisor@example.org"]


class BrokenMailServer(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("backend", ["broken", "smtp"])
def test_a_mail_server_that_is_down_loses_no_answer_and_shows_no_error(
    client, consultation, settings, django_capture_on_commit_callbacks, caplog, backend
):
    if backend == "broken":
        settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, consultation)
    assert response.status_code == 200
    assert "Gracias por su respuesta." in html(response)
    assert Submission.objects.count() == 1
    assert "Could not e-mail the team" in caplog.text


# --- Queries ------------------------------------------------------------------------------------


def consultation_with(barrio, questions, hearings):
    fields = tuple((f"pregunta_{i}", f"Pregunta {i}", "singleline", "", False) for i in range(questions))
    start = timezone.now() + DAY
    return factories.consultation(
        barrio,
        questions=fields,
        hearings=[ConsultationHearing(starts_at=start + i * DAY, place=f"Sede {i}") for i in range(hearings)],
    )


# Measured: 16 (the page, its form fields and hearings in one query each, the site, the translations).
CONSULTATION_QUERIES = 16


def test_a_consultation_page_runs_a_fixed_number_of_queries(client, barrio, django_assert_max_num_queries):
    from tests.project.test_query_counts import count_queries

    small = consultation_with(barrio, questions=1, hearings=1)
    large = consultation_with(barrio, questions=12, hearings=6)
    assert count_queries(client, small.url) == count_queries(client, large.url)
    client.get(large.url)
    with django_assert_max_num_queries(CONSULTATION_QUERIES):
        assert client.get(large.url).status_code == 200
