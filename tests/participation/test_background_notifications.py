"""In production the area's team is e-mailed in the background: the resident's request stores the
submission and a task row (django-tasks' database backend), never talks to the mail server; the
task worker (``python manage.py db_worker``, beside gunicorn) sends the mail later. A mail server
that is down makes the worker mark the task failed; the submission stays stored."""

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from participation.models import Submission
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


def test_a_mail_server_that_is_down_fails_the_task_and_keeps_the_answer(
    client, consultation, database_tasks, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    response = send_answers(client, consultation, django_capture_on_commit_callbacks)
    assert "the mail server is down" not in response.content.decode()

    run_worker()

    [task] = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "builtins.ConnectionRefusedError"
    assert not mail.outbox
    [submission] = Submission.objects.all()
    assert submission.page_id == consultation.pk
    assert submission.form_data["prioridad"] == "Vías"
