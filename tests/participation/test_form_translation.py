"""Forms in every language: translators translate a consultation's or feedback form's questions
and choices with wagtail-localize, never their keys; residents answer in their language; every
answer is stored on the Spanish original with the language it came in, choices as the Spanish
choice, so the team reads one merged list. A page not translated yet (an alias of the Spanish
one) takes answers too, recorded in the reader's language.

The "translations" below are marked test strings ("[ay] …"), not Aymara.
"""

from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

import pytest

from participation.models import Submission
from tests import factories

pytestmark = pytest.mark.django_db


def marked(text):
    """A test "translation": each line (a choice) marked. wagtail-localize gives translators a
    multi-line text as one segment with ``<br/>`` between lines, as here."""
    return "<br/>".join(f"[ay] {line}" for line in text.split("<br/>"))


def translate_into_aymara(page, django_capture_on_commit_callbacks):
    """Translate every string of ``page`` (with its parents) as a translator would, and publish."""
    aymara = Locale.objects.get(language_code="ay")
    source, _created = TranslationSource.get_or_create_from_instance(page)
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=aymara,
            context=segment.context,
            defaults={"data": marked(segment.string.data)},
        )
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(aymara, publish=True, fallback=True, copy_parent_pages=True)
    return page.get_translation(aymara).specific


@pytest.fixture
def barrio():
    with factories.aliases_made():
        return factories.neighborhood(factories.submunicipality(title="Subalcaldía Norte"), title="Villa Fátima")


@pytest.fixture
def consultation(barrio):
    with factories.aliases_made():
        return factories.consultation(barrio, title="Agua para Villa Fátima")


@pytest.fixture
def aymara_consultation(consultation, django_capture_on_commit_callbacks):
    return translate_into_aymara(consultation, django_capture_on_commit_callbacks)


def fields_of(page):
    return {field.clean_name: field for field in page.get_form_fields()}


def test_a_translated_form_keeps_its_keys_and_translates_its_questions_and_choices(consultation, aymara_consultation):
    spanish, aymara = fields_of(consultation), fields_of(aymara_consultation)
    assert aymara_consultation.locale.language_code == "ay" and aymara_consultation.alias_of_id is None
    assert list(aymara) == list(spanish) == ["opinion", "prioridad", "nombre"]
    for name, field in aymara.items():
        assert field.label == marked(spanish[name].label)
        assert (field.field_type, field.required, field.personal_data) == (
            spanish[name].field_type,
            spanish[name].required,
            spanish[name].personal_data,
        )
    assert aymara["prioridad"].choices == "[ay] Agua\n[ay] Vías\n[ay] Parques"


def test_residents_read_the_form_in_their_language(client, aymara_consultation):
    response = client.get(aymara_consultation.url)
    body = response.content.decode()
    assert aymara_consultation.url.startswith("/ay/")
    assert '<html lang="ay">' in body
    assert '<label for="field-opinion">[ay] ¿Qué opina del proyecto?' in body
    assert '<label for="field-prioridad_1">[ay] Vías</label>' in body
    assert f'action="{aymara_consultation.url}"' in body


def test_answers_in_spanish_and_aymara_are_merged_on_the_original_with_spanish_choices(
    client, consultation, aymara_consultation
):
    client.post(consultation.url, {"opinion": "Más piletas", "prioridad": "Agua"})
    client.post(aymara_consultation.url, {"opinion": "Uma munataw", "prioridad": "[ay] Vías"})

    es, ay = Submission.objects.order_by("pk")
    assert (es.page_id, es.language, es.form_data["prioridad"]) == (consultation.pk, "es", "Agua")
    assert (ay.page_id, ay.language, ay.form_data["prioridad"]) == (consultation.pk, "ay", "Vías")
    assert ay.form_data["opinion"] == "Uma munataw"
    assert list(aymara_consultation.get_submissions()) == list(consultation.get_submissions()) == [es, ay]


def test_a_spanish_choice_sent_to_the_aymara_form_is_an_error_not_a_wrong_answer(client, aymara_consultation):
    response = client.post(aymara_consultation.url, {"opinion": "Uma", "prioridad": "Agua"})
    assert response.status_code == 200
    assert 'id="field-prioridad-error"' in response.content.decode()
    assert not Submission.objects.exists()


def test_a_form_not_yet_translated_takes_answers_in_the_readers_language(client, consultation):
    alias = consultation.get_translation(Locale.objects.get(language_code="ay")).specific
    assert alias.alias_of_id == consultation.pk
    body = client.get(alias.url).content.decode()
    assert '<html lang="ay">' in body
    assert '<label for="field-opinion">¿Qué opina del proyecto?' in body

    response = client.post(alias.url, {"opinion": "Uma munataw", "prioridad": "Parques"}, follow=True)
    assert response.redirect_chain == [(f"{alias.url}?gracias=1", 303)]
    assert '<html lang="ay">' in response.content.decode()
    submission = Submission.objects.get()
    assert (submission.page_id, submission.language, submission.form_data["prioridad"]) == (
        consultation.pk,
        "ay",
        "Parques",
    )


def test_embedded_feedback_comes_in_the_readers_language_and_is_stored_about_the_spanish_page(
    client, barrio, django_capture_on_commit_callbacks
):
    with factories.aliases_made():
        form_page = factories.feedback_form(
            barrio,
            title="Su opinión",
            questions=(("calificacion", "¿Cómo va la obra?", "radio", "Bien\nMal", False),),
        )
        work = factories.embed_feedback(factories.work(barrio, title="Puente Villa Fátima"), form_page)
    aymara_form = translate_into_aymara(form_page, django_capture_on_commit_callbacks)
    aymara_work = work.get_translation(aymara_form.locale)  # an alias: the work is not translated

    body = client.get(aymara_work.url).content.decode()
    assert '<h2 id="feedback-heading">[ay] Su opinión</h2>' in body
    assert f'action="{aymara_form.url}"' in body
    assert f'<input type="hidden" name="about" value="{aymara_work.pk}">' in body

    response = client.post(aymara_form.url, {"calificacion": "[ay] Mal", "about": aymara_work.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{aymara_work.url}?gracias=1#feedback"
    submission = Submission.objects.get()
    assert (submission.page_id, submission.about_page_id, submission.language) == (form_page.pk, work.pk, "ay")
    assert submission.form_data["calificacion"] == "Mal"
