"""A resident gives feedback on a work from the work's own page, with JavaScript and without it,
and answers a consultation: each time they are thanked, and the answer is stored."""

import re

import pytest
from playwright.sync_api import expect

from participation.models import Submission
from tests.browser.conftest import BROWSER_TEST
from tests.browser.test_accessibility import axe_violations

pytestmark = BROWSER_TEST


@pytest.fixture
def stored(django_db_blocker):
    """How many submissions the database holds now (read from the test's thread)."""

    def count(**filters):
        with django_db_blocker.unblock():
            return Submission.objects.filter(**filters).count()

    return count


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_resident_gives_feedback_on_a_work_from_its_page(new_page, city, participation, stored, javascript):
    page = new_page(java_script_enabled=javascript)
    before = stored(page=participation.form_page, about_page=participation.work)

    page.goto(city.urls["es"]["work"])
    feedback = page.locator("#feedback")
    expect(feedback.get_by_role("heading", level=2)).to_have_text("Su opinión sobre las obras")
    feedback.get_by_label("Su comentario sobre la obra").fill(
        f"Falta señalizar el desvío ({'con' if javascript else 'sin'} JavaScript)."
    )
    feedback.get_by_label("Regular").check()
    feedback.locator("form.participation-form").get_by_role("button").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(participation.work.url)}\?gracias=1#feedback$"))
    expect(page.locator("#feedback").get_by_role("status")).to_contain_text("Gracias por su opinión")
    assert stored(page=participation.form_page, about_page=participation.work) == before + 1


def test_a_resident_who_forgets_a_required_answer_is_told_next_to_it_and_comes_back(
    new_page, city, participation, stored, axe_source
):
    page = new_page()  # JavaScript on, for axe
    before = stored()
    page.goto(city.urls["es"]["work"])
    page.locator("#feedback form.participation-form").get_by_role("button").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Su opinión sobre las obras")
    comment = page.get_by_label("Su comentario sobre la obra")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_be_visible()
    assert stored() == before
    assert axe_violations(page, axe_source) == []
    page.get_by_role("link", name=re.compile(re.escape(city.work.title))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(city.work.title)


def test_a_resident_answers_an_open_consultation(new_page, city, participation, stored):
    page = new_page(java_script_enabled=False)
    before = stored(page=participation.consultation)

    page.goto(participation.urls["es"]["consultation"])
    expect(page.get_by_role("heading", level=1)).to_have_text(participation.consultation.title)
    expect(page.get_by_text("Sede de la Junta Vecinal de Villa Victoria")).to_be_visible()
    page.get_by_label("¿Qué opina del proyecto?").fill("Que pongan juegos para niños.")
    page.get_by_label("Parques").check()
    page.locator("form.participation-form").get_by_role("button").click()

    # Sent, then redirected to the consultation's thank-you: reloading it sends nothing again.
    expect(page).to_have_url(re.compile(r"\?gracias=1$"))
    expect(page.get_by_role("status")).to_contain_text("Gracias por responder a la consulta.")
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("Gracias por responder a la consulta.")
    assert stored(page=participation.consultation, language="es", channel="web") == before + 1
