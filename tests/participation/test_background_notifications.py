"""In production the area's team is e-mailed in the background: the resident's request stores the
submission and a task row (django-tasks' database backend), never talks to the mail server; the
task worker (``python manage.py db_worker``, beside gunicorn) sends the mail later. A mail server
that is down makes the worker mark the attempt failed and try again later, for a day; then
administrators see the e-mail that was not sent. The submission stays stored."""

import datetime

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from participation.models import Submission
from participation.tasks import RETRY_DELAYS, failed_notifications
from tests import factories

pytestmark = pytest.mark.django_db

ANSWERS = {"opinion": "Que arreglen la acera", "prioridad": "Vías"}


class BrokenMailServer(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def consultation():
    barrio = factories.neighborhood(factories.submunicipality(title="Subalcaldía Max Paredes"), title="Chamoco Chico")
    return factories.consultation(barrio, title="Acera de la calle 3", to_address="equipo@example.org")


def send_answers(client, page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.url, ANSWERS, follow=True)
    assert response.status_code == 200
    return response


def run_worker():
    """What `python manage.py db_worker --batch` does: take each waiting task (locked, then
    claimed), run it with the worker's own code, which records it as successful or failed; then
    stop. (The command itself cannot run inside a test's transaction: it claims in an exclusive
    SQLite transaction and closes the connection between tasks.)"""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    while True:
        with transaction.atomic():
            task = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task is None:
                return
            task.claim(worker.worker_id)
        worker.run_task(task)


def test_the_request_stores_the_answer_and_a_task_and_the_worker_sends_the_mail(
    client, consultation, database_tasks, django_capture_on_commit_callbacks
):
    send_answers(client, consultation, django_capture_on_commit_callbacks)
    [submission] = Submission.objects.all()
    assert submission.form_data["opinion"] == "Que arreglen la acera"
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "participation.tasks.notify_team"
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["args"] == [submission.pk]
    assert not mail.outbox  # nothing sent while the resident waited

    run_worker()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == 1
    [message] = mail.outbox
    assert message.to == ["equipo@example.org"]
    assert "¿Qué es lo más urgente?: Vías" in message.body


def test_a_mail_server_that_is_down_fails_the_attempt_schedules_another_and_keeps_the_answer(
    client, consultation, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    response = send_answers(client, consultation, django_capture_on_commit_callbacks)
    assert "the mail server is down" not in response.content.decode()

    before = timezone.now()
    run_worker()

    first, retry = DBTaskResult.objects.order_by("enqueued_at", "pk")
    assert first.status == TaskResultStatus.FAILED
    assert first.exception_class_path == "builtins.ConnectionRefusedError"
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["args"][1] == 1
    assert before + datetime.timedelta(minutes=1) <= retry.run_after <= timezone.now() + datetime.timedelta(minutes=1)
    run_worker()
    assert DBTaskResult.objects.count() == 2, "the retry waits for its time"
    assert not mail.outbox
    [submission] = Submission.objects.all()
    assert submission.page_id == consultation.pk
    assert submission.form_data["prioridad"] == "Vías"


def attempts_until_quiet():
    """Run every attempt as soon as it is enqueued, as a day would; return how many ran."""
    ran = 0
    while DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        run_worker()
        ran += 1
    return ran


def test_after_a_day_of_failures_administrators_see_the_e_mail_that_was_not_sent(
    client, consultation, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    send_answers(client, consultation, django_capture_on_commit_callbacks)
    [submission] = Submission.objects.all()
    assert attempts_until_quiet() == len(RETRY_DELAYS) + 1
    assert sum(RETRY_DELAYS) == 24 * 60
    results = DBTaskResult.objects.all()
    assert {result.status for result in results} == {TaskResultStatus.FAILED}
    assert failed_notifications() == [results.get(args_kwargs__args__1=len(RETRY_DELAYS))]

    client.force_login(factories.user("admin", superuser=True))
    dashboard = client.get("/admin/").content.decode()
    assert "failed-notifications-heading" in dashboard
    assert f"<td>{submission.pk}</td>" in dashboard
    client.force_login(factories.user("editora"))
    assert "failed-notifications-heading" not in client.get("/admin/").content.decode()


def test_a_mail_server_back_in_time_sends_the_e_mail_on_a_later_attempt(
    client, consultation, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    send_answers(client, consultation, django_capture_on_commit_callbacks)
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    attempts_until_quiet()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    assert failed_notifications() == []
