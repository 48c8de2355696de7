"""Log-ins that resist guessing (django-axes) and a password reset that goes through the queue."""

from django.core import mail
from django.urls import reverse

import pytest
from django_tasks_db.models import DBTaskResult

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "una-clave-larga-2026"


@pytest.fixture
def editor():
    user = factories.user("editora")
    user.email = "editora@example.org"
    user.set_password(PASSWORD)
    user.save()
    factories.user("otra").set_password(PASSWORD)
    return user


def log_in(client, username, password, address="198.51.100.1", **headers):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_five_failures_lock_the_account_even_from_other_addresses_and_with_the_right_password(client, editor):
    for number in range(4):
        assert log_in(client, "editora", "mala", address=f"198.51.100.{number + 10}").status_code == 200
    assert log_in(client, "editora", "mala", address="198.51.100.20").status_code == 429, "the fifth locks"
    refused = log_in(client, "editora", PASSWORD, address="203.0.113.99")
    assert refused.status_code == 429
    assert "Demasiados" in refused.content.decode() or "Too many" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address_out_for_every_account(client, editor):
    for number in range(5):
        log_in(client, f"nadie-{number}", "mala", address="198.51.100.7")
    assert log_in(client, "editora", PASSWORD, address="198.51.100.7").status_code == 429
    assert log_in(client, "editora", PASSWORD, address="198.51.100.8").status_code == 302, "another address logs in"


def test_behind_a_proxy_the_forwarded_address_counts_not_the_proxys(client, settings, editor):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        log_in(client, f"nadie-{number}", "mala", address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert (
        log_in(client, "editora", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    )
    ok = log_in(client, "editora", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert ok.status_code == 302, "the proxy itself is not locked out"


def test_the_password_reset_answers_the_same_for_any_address_and_sends_by_the_queue(client, editor, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    url = reverse("wagtailadmin_password_reset")
    known = client.post(url, {"email": "editora@example.org"})
    unknown = client.post(url, {"email": "nadie@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert not mail.outbox, "nothing sent while the request waits"
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "teams.accounts.send_password_reset"
    assert "token" not in str(task.args_kwargs), "the link is made by the worker, not stored in the queue"

    from teams.accounts import send_password_reset

    assert send_password_reset.call(*task.args_kwargs["args"]) is True
    [message] = mail.outbox
    assert message.to == ["editora@example.org"]
    link = next(word for word in message.body.split() if "/admin/password_reset/confirm/" in word)
    assert client.get(link, follow=True).status_code == 200


def test_the_mail_server_has_a_timeout(settings):
    assert 0 < settings.EMAIL_TIMEOUT <= 30
