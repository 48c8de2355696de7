"""Give every submunicipality its editors, reviewers, collection and review workflow."""

from django.core.management.base import BaseCommand

from neighborhoods.governance import set_up_all_areas


class Command(BaseCommand):
    help = (
        "Create or complete, for every submunicipality page, its Editors and Reviewers groups, "
        "its image and document collection and its 'review before publish' workflow, plus the "
        "city-wide Translators group. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        self.stdout.write("Setting up the team of each submunicipality…")
        teams = set_up_all_areas(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Done: {len({t.pk for t in teams})} area team(s) ready."))
