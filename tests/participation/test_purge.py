"""`manage.py purge_personal_data --older-than DAYS`: personal answers and consent go, the rest stays.

A consultation with a personal question (``nombre``) and a feedback form without one; old and
recent submissions of each, in two languages and two channels.
"""

import datetime
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import pytest

from participation import purge
from participation.models import Submission
from tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = factories.CONSULTATION_QUESTIONS + (("telefono", "Su teléfono", "singleline", "", True),)


@pytest.fixture
def forms():
    barrio = factories.neighborhood()
    with factories.aliases_made():
        consultation = factories.consultation(barrio, questions=QUESTIONS)
        aymara = factories.translation(consultation, "ay")
    feedback = factories.feedback_form(barrio)
    return consultation, aymara, feedback


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def personal(page, days, **extra):
    return factories.submission(
        page,
        submitted_at=days_ago(days),
        opinion="Más luz",
        prioridad="Agua",
        nombre="Juana Mamani",
        telefono="71234567",
        consent=True,
        **extra,
    )


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("purge_personal_data", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_old_submissions_lose_personal_answers_and_consent_and_keep_the_rest(forms):
    consultation, aymara, _feedback = forms
    old = personal(aymara, 200, language="ay", channel="paper")
    work = factories.work(consultation.get_parent())
    Submission.objects.filter(pk=old.pk).update(about_page=work)

    output = run("--older-than", "180")

    old.refresh_from_db()
    assert old.form_data == {"opinion": "Más luz", "prioridad": "Agua"}
    assert old.personal_data_removed_at is not None
    assert (old.page_id, old.language, old.channel, old.about_page_id) == (consultation.pk, "ay", "paper", work.pk)
    assert old.submit_time < days_ago(199)
    assert "3 personal value(s) removed from 1 of them" in output


def test_recent_submissions_are_untouched(forms):
    consultation, _aymara, _feedback = forms
    recent = personal(consultation, 10)
    before = dict(recent.form_data)
    run("--older-than", "180")
    recent.refresh_from_db()
    assert recent.form_data == before and recent.personal_data_removed_at is None


def test_forms_without_personal_questions_keep_every_answer(forms):
    _consultation, _aymara, feedback = forms
    old = factories.submission(feedback, submitted_at=days_ago(400), opinion="La obra va bien")
    run("--older-than", "180")
    old.refresh_from_db()
    assert old.form_data == {"opinion": "La obra va bien"}
    assert old.personal_data_removed_at is not None  # checked: nothing personal left


def test_a_field_is_personal_by_the_originals_flag_not_by_its_name(forms):
    consultation, _aymara, _feedback = forms
    old = factories.submission(
        consultation, submitted_at=days_ago(300), opinion="x", prioridad="Agua", nombre_de_la_calle="Illampu"
    )
    run("--older-than", "30")
    old.refresh_from_db()
    assert old.form_data["nombre_de_la_calle"] == "Illampu"  # not a question of the form: kept


def test_running_it_again_changes_nothing(forms):
    consultation, _aymara, _feedback = forms
    old = personal(consultation, 200)
    run("--older-than", "180")
    old.refresh_from_db()
    first = (old.form_data, old.personal_data_removed_at)

    output = run("--older-than", "180")
    old.refresh_from_db()
    assert (old.form_data, old.personal_data_removed_at) == first
    assert "0 old submission(s) checked" in output


def test_a_dry_run_counts_and_changes_nothing(forms):
    consultation, aymara, _feedback = forms
    old = [personal(consultation, 200), personal(aymara, 190, language="ay")]
    before = [(s.form_data, s.personal_data_removed_at) for s in old]

    output = run("--older-than", "180", "--dry-run")

    assert "6 personal value(s) would be removed from 2 of them" in output
    for submission, (data, removed_at) in zip(old, before, strict=True):
        submission.refresh_from_db()
        assert (submission.form_data, submission.personal_data_removed_at) == (data, removed_at)


@pytest.mark.parametrize("days", ["0", "-5"])
def test_less_than_a_day_is_refused_with_a_clear_message(forms, days):
    consultation, _aymara, _feedback = forms
    recent = personal(consultation, 0)
    with pytest.raises(CommandError, match="at least 1"):
        run("--older-than", days)
    recent.refresh_from_db()
    assert recent.personal_data_removed_at is None


@pytest.mark.parametrize("args", [(), ("--older-than", "seis meses"), ("--older-than",)])
def test_a_missing_or_non_numeric_age_is_refused(args):
    with pytest.raises(CommandError):
        run(*args)


def test_batches_cover_every_submission(forms, monkeypatch):
    consultation, _aymara, _feedback = forms
    monkeypatch.setattr(purge, "BATCH_SIZE", 2)
    old = [personal(consultation, 100 + n) for n in range(5)]
    steps = []
    report = purge.purge_personal_data(30, progress=steps.append)
    assert (report.submissions, report.with_personal_data, report.values_removed) == (5, 5, 15)
    assert steps == [2, 2, 1]
    assert not Submission.objects.filter(pk__in=[s.pk for s in old], personal_data_removed_at=None).exists()


def test_the_teams_list_shows_a_dash_after_the_purge(client, forms):
    from neighborhoods.models import SubmunicipalityPage
    from teams.models import AreaTeam

    consultation, _aymara, _feedback = forms
    personal(consultation, 200)
    run("--older-than", "180")
    area = SubmunicipalityPage.objects.ancestor_of(consultation).get()
    client.force_login(factories.user("editora", AreaTeam.objects.get(translation_key=area.translation_key).editors))
    html = client.get(f"/admin/forms/submissions/{consultation.pk}/").content.decode()
    assert "Juana Mamani" not in html and "71234567" not in html
    assert "—" in html and "Más luz" in html
