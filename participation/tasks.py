"""Background work of the participation forms (django-tasks).

``notify_team`` tells the area's team of a new submission by e-mail. It is enqueued once the
submission is committed (``participation.submissions``), so the resident never waits for the
mail server and never sees its errors; the submission stays stored and listed in the admin
whatever happens to the e-mail.

When the mail server cannot be reached, the attempt is marked failed with its error and the e-mail
is tried again later (``RETRY_DELAYS``: after a minute, then less and less often, a day in all),
each time as a new task that the worker runs no sooner than its time. When the last attempt
fails too, administrators see it on their dashboard (``participation.wagtail_hooks``). Where tasks run in
the request itself (development, tests) there is no later: a failure is logged and that is all.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from participation.models import Submission
from teams.areas import team_for_page

logger = logging.getLogger(__name__)

#: Minutes between attempts to send a team e-mail: 10 attempts, 24 hours in all.
RETRY_DELAYS = (1, 5, 15, 30, 60, 120, 240, 480, 489)
#: The number of the last attempt (the first is 0).
LAST_ATTEMPT = len(RETRY_DELAYS)


def recipients_for(page):
    """Who is told of a new submission of the form ``page``: the form's own addresses if the
    editor gave some, else every active member of the area's Editors and Reviewers with an
    e-mail address."""

    if page.to_address.strip():
        return [address.strip() for address in page.to_address.split(",") if address.strip()]
    team = team_for_page(page)
    if team is None:
        return []
    people = (
        get_user_model()
        .objects.filter(Q(groups=team.editors_id) | Q(groups=team.reviewers_id), is_active=True)
        .exclude(email="")
    )
    return sorted(set(people.values_list("email", flat=True)))


def _answer(value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    return str(value) if value not in (None, "") else "—"


def message_for(submission):
    """The subject and the body of the e-mail about ``submission``, in Spanish (the team's
    language). The answers are listed with the questions' Spanish labels; personal data is never
    written in the mail (it stays in the admin, where it is purged after the retention period)."""
    page = submission.page.specific
    with translation.override(settings.LANGUAGE_CODE):
        subject = page.subject.strip() or gettext("New answer: %(form)s") % {"form": page.title}
        lines = [
            gettext("A resident answered “%(form)s”.") % {"form": page.title},
            "",
            gettext("Received: %(when)s")
            % {"when": date_format(timezone.localtime(submission.submit_time), "DATETIME_FORMAT")},
            gettext("Language: %(language)s") % {"language": submission.get_language_display()},
            gettext("Channel: %(channel)s") % {"channel": submission.get_channel_display()},
        ]
        if submission.about_page_id:
            about = submission.about_page
            lines.append(
                gettext("About the page: %(title)s (%(url)s)") % {"title": about.title, "url": about.full_url or "—"}
            )
        lines.append("")
        data = submission.form_data
        for field in page.get_form_fields():
            if field.personal_data:
                given = data.get(field.clean_name) not in (None, "", [])
                value = gettext("given: read it in the admin") if given else "—"
            else:
                value = _answer(data.get(field.clean_name))
            lines.append(f"{field.label}: {value}")
        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "wagtailforms:list_submissions", args=[page.pk]
        )
        lines += ["", gettext("All the answers: %(url)s") % {"url": admin_url}]
    return subject, "\n".join(lines)


@task()
def notify_team(submission_id, attempt=0):
    """E-mail the area's team about the submission ``submission_id``; returns how many people
    were written to. ``attempt`` counts the tries before this one."""

    submission = Submission.objects.select_related("page", "about_page").filter(pk=submission_id).first()
    if submission is None:
        return 0
    page = submission.page.specific
    recipients = recipients_for(page)
    if not recipients:
        return 0
    subject, body = message_for(submission)
    try:
        send_mail(subject, body, page.from_address or None, recipients)
    except Exception:
        if attempt < LAST_ATTEMPT and notify_team.get_backend().supports_defer:
            delay = RETRY_DELAYS[attempt]
            later = notify_team.using(run_after=timezone.now() + datetime.timedelta(minutes=delay))
            later.enqueue(submission_id, attempt + 1)
            logger.warning(
                "Could not e-mail the team about submission %s (attempt %s): trying again in %s minutes",
                submission.pk, attempt + 1, delay,
            )  # fmt: skip
        else:
            logger.exception("Could not e-mail the team about submission %s of page %s", submission.pk, page.pk)
        raise
    return len(recipients)


def failed_notifications(limit: int = 20) -> list:
    """The team e-mails whose last attempt failed, newest first (tasks of the database queue;
    where tasks run in the request, failures are only logged)."""
    last_attempts = DBTaskResult.objects.failed().filter(
        task_path=notify_team.module_path, args_kwargs__args__1=LAST_ATTEMPT
    )
    return list(last_attempts.order_by("-finished_at")[:limit])
