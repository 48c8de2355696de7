"""A resident comments on a neighbourhood, a work or a news item from the page itself: the feedback
form the editors chose is at the bottom of the page; it posts to the form's own page with the
page's id, and the resident comes back to the page with a thank-you message (no JavaScript
needed). Errors are shown on the form's page, tied to their fields, with the way back. The page
id is checked: anything but a live public page showing this form is refused with a message."""

import re

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import PageViewRestriction

import pytest

from participation.abuse import MULTI_LINE_MAX_LENGTH
from participation.models import Submission
from tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = (
    ("comentario", "Su comentario", "multiline", "", False),
    ("calificacion", "¿Cómo va la obra?", "dropdown", "Bien\nRegular\nMal", False),
    ("telefono", "Su teléfono, si quiere que le llamemos", "singleline", "", True),
)


def spanish(text):
    with translation.override("es"):
        return gettext(text)


def html(response):
    return response.content.decode()


@pytest.fixture
def barrio():
    return factories.neighborhood(factories.submunicipality(title="Subalcaldía Centro"), title="San Pedro")


@pytest.fixture
def form_page(barrio):
    return factories.feedback_form(
        barrio,
        title="Su opinión sobre las obras",
        questions=QUESTIONS,
        intro="Cuéntenos qué le parece.",
        thank_you_text="<p>Gracias, lo leeremos.</p>",
        to_address="centro@example.org",
    )


@pytest.fixture
def pages(barrio, form_page):
    """A neighbourhood, a work and a news item, each showing the feedback form."""
    work = factories.work(barrio, title="Mercado de San Pedro")
    news = factories.news(barrio, title="Se inaugura el mercado")
    return {
        "neighbourhood": factories.embed_feedback(barrio, form_page),
        "work": factories.embed_feedback(work, form_page),
        "news": factories.embed_feedback(news, form_page),
    }


def send(client, form_page, about, **answers):
    data = {"comentario": "Falta iluminación", "calificacion": "Regular", **answers}
    if about is not None:
        data["about"] = about
    return client.post(form_page.url, data)


@pytest.mark.parametrize("kind", ["neighbourhood", "work", "news"])
def test_each_page_type_shows_its_feedback_form_at_the_bottom(client, pages, form_page, kind):
    page = pages[kind]
    body = html(client.get(page.url))
    section = body[body.index('<section class="feedback" id="feedback"') :]
    assert body.index('id="feedback"') > body.index("<h1>")
    assert '<h2 id="feedback-heading">Su opinión sobre las obras</h2>' in section
    assert "Cuéntenos qué le parece." in section
    assert f'action="{form_page.url}"' in section
    assert f'<input type="hidden" name="about" value="{page.pk}">' in section
    assert '<label for="field-comentario">Su comentario' in section
    assert 'id="consent-notice"' in section


@pytest.mark.parametrize("kind", ["neighbourhood", "work", "news"])
def test_feedback_sent_from_a_page_is_stored_about_it_and_the_resident_comes_back_thanked(
    client, pages, form_page, kind, django_capture_on_commit_callbacks
):
    page = pages[kind]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, form_page, page.pk)
    assert response.status_code == 302
    assert response["Location"] == f"{page.url}?gracias=1#feedback"
    [submission] = Submission.objects.all()
    assert submission.page_id == form_page.pk
    assert submission.about_page_id == page.pk
    assert (submission.language, submission.channel) == ("es", "web")
    assert submission.form_data["comentario"] == "Falta iluminación"
    # The team's e-mail says which page the feedback was about.
    [message] = mail.outbox
    assert page.title in message.body

    body = html(client.get(response["Location"]))
    notice = re.search(r'<div class="notice notice-success" role="status">(.*?)</div>', body, re.S)
    assert notice and "Gracias, lo leeremos." in notice.group(1)


def test_a_page_without_a_chosen_form_or_with_an_unpublished_one_shows_none(client, barrio, form_page):
    work = factories.work(barrio)
    assert 'id="feedback"' not in html(client.get(work.url))
    factories.embed_feedback(work, form_page)
    assert 'id="feedback"' in html(client.get(work.url))
    form_page.unpublish()
    assert 'id="feedback"' not in html(client.get(work.url))


def test_the_thank_you_is_shown_only_after_sending(client, pages):
    assert "notice-success" not in html(client.get(pages["work"].url))


def test_errors_are_shown_on_the_forms_page_tied_to_their_fields_with_the_way_back(client, pages, form_page):
    work = pages["work"]
    response = send(client, form_page, work.pk, comentario="", calificacion="Excelente")
    body = html(response)
    assert response.status_code == 200
    assert not Submission.objects.exists()
    assert "<h1>Su opinión sobre las obras</h1>" in body
    assert re.search(r'<textarea name="comentario"[^>]*aria-describedby="field-comentario-error"', body)
    assert re.search(r'<select name="calificacion"[^>]*aria-invalid="true"', body)
    assert f'<input type="hidden" name="about" value="{work.pk}">' in body
    assert f'href="{work.url}#feedback"' in body

    # Corrected on the form's page, it still goes back to the work.
    response = send(client, form_page, work.pk)
    assert response["Location"].startswith(work.url)
    assert Submission.objects.get().about_page_id == work.pk


@pytest.mark.parametrize("about", ["abc", "999999", "-1", "1.5", "[]", "99999999999999999999999"])
def test_a_forged_page_id_is_refused_with_a_message(client, pages, form_page, about):
    response = send(client, form_page, about)
    assert response.status_code == 400
    assert spanish(
        "This feedback could not be sent: the page it was sent from does not show this form. "
        "Go back to the page and send it from there."
    ) in html(response)
    assert not Submission.objects.exists()


def test_a_page_that_does_not_show_this_form_cannot_be_named(client, barrio, pages, form_page):
    other_form = factories.feedback_form(barrio, title="Otra encuesta")
    elsewhere = factories.embed_feedback(factories.work(barrio), other_form)
    without_form = factories.work(barrio)
    for page in (elsewhere, without_form, barrio.get_parent(), form_page):
        assert send(client, form_page, page.pk).status_code == 400, page
    assert not Submission.objects.exists()


def test_a_draft_or_private_page_cannot_be_named(client, pages, form_page):
    work, news = pages["work"], pages["news"]
    work.unpublish()
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert send(client, form_page, work.pk).status_code == 400
    assert send(client, form_page, news.pk).status_code == 400
    assert not Submission.objects.exists()


def test_the_form_also_works_on_its_own_page(client, form_page):
    body = html(client.get(form_page.url))
    assert '<form class="participation-form"' in body and 'name="about"' not in body
    response = send(client, form_page, None)
    assert response.status_code == 303
    assert response["Location"] == f"{form_page.url}?gracias=1"
    assert "Gracias, lo leeremos." in html(client.get(response["Location"]))
    assert Submission.objects.get().about_page is None


def test_personal_data_is_optional_but_needs_consent_when_given(client, pages, form_page):
    work = pages["work"]
    response = send(client, form_page, work.pk, telefono="71234567")
    assert response.status_code == 200
    assert 'id="field-consent-error"' in html(response)
    assert not Submission.objects.exists()

    assert send(client, form_page, work.pk, telefono="71234567", consent="on").status_code == 302
    assert send(client, form_page, work.pk).status_code == 302
    with_phone, without = Submission.objects.order_by("pk")
    assert with_phone.form_data["telefono"] == "71234567" and with_phone.form_data["consent"] is True
    assert without.form_data["telefono"] == "" and "consent" not in without.form_data


def test_answers_longer_than_the_guard_allows_are_refused_next_to_their_field(client, pages, form_page):
    work = pages["work"]
    response = send(client, form_page, work.pk, comentario="a" * (MULTI_LINE_MAX_LENGTH + 1))
    assert response.status_code == 200
    assert 'id="field-comentario-error"' in html(response)
    response = send(client, form_page, work.pk, telefono="7" * 256, consent="on")
    assert 'id="field-telefono-error"' in html(response)
    assert not Submission.objects.exists()
    body = html(client.get(work.url))
    assert re.search(r'<textarea name="comentario"[^>]*maxlength="5000"', body)


def test_a_work_page_runs_the_same_queries_whatever_the_number_of_questions(client, barrio):
    from tests.project.test_query_counts import count_queries

    def work_with_form(questions):
        fields = tuple((f"p{i}", f"Pregunta {i}", "singleline", "", False) for i in range(questions))
        return factories.embed_feedback(factories.work(barrio), factories.feedback_form(barrio, questions=fields))

    assert count_queries(client, work_with_form(1).url) == count_queries(client, work_with_form(10).url)
