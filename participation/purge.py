"""Removing residents' personal data from old submissions, keeping the rest for statistics.

Forms say how long personal data is kept (``personal_data_notice``). Once a submission is older
than that, ``purge_personal_data`` (``manage.py purge_personal_data --older-than DAYS``)
removes from it the answers to the form's personal questions — those whose field is marked
*personal data* on the form's Spanish original, matched by their key (``clean_name``) — and the
consent the resident gave, and records when (``personal_data_removed_at``). The other answers,
the date, the form, the language, the channel and the page it was about stay: the team's list
and exports show "—" in the removed columns.

Every old submission is marked as done, even one that had nothing personal, so running it
again finds nothing left to do. A dry run counts without changing anything.

Limit: an answer to a question an editor has since deleted from the form cannot be known to be
personal, and is kept.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from participation.models import Submission

CONSENT_FIELD = "consent"
BATCH_SIZE = 500


@dataclass
class PurgeReport:
    """What a purge did (or, in a dry run, would do)."""

    cutoff: datetime.datetime
    dry_run: bool = False
    submissions: int = 0  # old submissions not purged before
    with_personal_data: int = 0  # of which had personal answers or a consent to remove
    values_removed: int = 0  # answers and consents removed


def cutoff_for(days, now=None):
    """The moment before which submissions are "older than ``days`` days"."""
    if days < 1:
        raise ValueError("days must be at least 1")
    return (now or timezone.now()) - datetime.timedelta(days=days)


def pending(cutoff):
    """Submissions sent before ``cutoff`` whose personal data has not been removed yet."""
    return Submission.objects.filter(submit_time__lt=cutoff, personal_data_removed_at__isnull=True)


class _PersonalFields:
    """The personal questions' keys of each form, looked up once per form."""

    def __init__(self):
        self._by_page = {}

    def __call__(self, page_id):
        if page_id not in self._by_page:
            from wagtail.models import Page

            page = Page.objects.filter(pk=page_id).first()
            page = page.specific if page is not None else None
            names = set()
            if page is not None and hasattr(page, "original_page"):
                names = {field.clean_name for field in page.original_page().get_form_fields() if field.personal_data}
            self._by_page[page_id] = names | {CONSENT_FIELD}
        return self._by_page[page_id]


def strip_personal_data(form_data, personal_names):
    """``form_data`` without the keys in ``personal_names``, and how many of them held something
    (an empty answer to a personal question is removed too, but not counted)."""
    kept = {key: value for key, value in form_data.items() if key not in personal_names}
    removed = sum(1 for key, value in form_data.items() if key in personal_names and value not in (None, "", []))
    return kept, removed


def purge_personal_data(days, dry_run=False, now=None, progress=None):
    """Remove personal answers and consent from submissions older than ``days`` days.

    ``progress`` is called with the number of submissions handled after each batch (for a
    progress bar). Returns a ``PurgeReport``.
    """
    now = now or timezone.now()
    report = PurgeReport(cutoff=cutoff_for(days, now), dry_run=dry_run)
    personal_fields = _PersonalFields()
    # Ids first, then batches: the rows are changed while the purge goes through them.
    ids = list(pending(report.cutoff).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        batch = list(Submission.objects.filter(pk__in=chunk).only("pk", "page_id", "form_data"))
        for submission in batch:
            kept, removed = strip_personal_data(submission.form_data or {}, personal_fields(submission.page_id))
            report.submissions += 1
            if removed:
                report.with_personal_data += 1
                report.values_removed += removed
            submission.form_data = kept
            submission.personal_data_removed_at = now
        if not dry_run:
            with transaction.atomic():
                Submission.objects.bulk_update(batch, ["form_data", "personal_data_removed_at"])
        if progress is not None:
            progress(len(batch))
    return report


def count_pending(days, now=None):
    """How many submissions a purge of ``days`` would go through."""
    return pending(cutoff_for(days, now)).count()
