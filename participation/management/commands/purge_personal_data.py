"""Remove residents' personal data from old submissions (see ``participation.purge``)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tqdm import tqdm

from participation import purge


class Command(BaseCommand):
    help = (
        "Remove the answers to personal questions (name, phone, e-mail… — the form fields marked "
        "'personal data') and the consent from every consultation and feedback submission older "
        "than DAYS days, keeping the other answers, the date, the form, the language and the channel "
        "for statistics. Safe to run again (e.g. every night from cron): submissions already purged "
        "are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAYS",
            dest="days",
            help="Purge submissions sent more than DAYS days ago (at least 1), e.g. 180.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be removed; change nothing.",
        )

    def handle(self, *args, days, dry_run=False, verbosity=1, **options):
        if days < 1:
            raise CommandError(
                f"--older-than must be a number of days of at least 1 (got {days}): "
                "personal data of today's submissions is never removed by this command."
            )
        now = timezone.now()
        total = purge.count_pending(days, now)
        cutoff = timezone.localtime(purge.cutoff_for(days, now))
        action = "Would remove" if dry_run else "Removing"
        self.stdout.write(
            f"{action} personal data from {total} submission(s) sent before {cutoff:%Y-%m-%d %H:%M}"
            + (" (dry run: nothing is changed)." if dry_run else ".")
        )
        # The raw stream: tqdm redraws its line with "\r", which the OutputWrapper would break.
        with tqdm(total=total, unit="submission", file=self.stderr._out, disable=verbosity < 1 or not total) as bar:
            report = purge.purge_personal_data(days, dry_run=dry_run, now=now, progress=bar.update)

        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.submissions} old submission(s) checked; {report.values_removed} personal "
                f"value(s) {verb} from {report.with_personal_data} of them; answers, dates, forms, "
                "languages and channels kept."
            )
        )
