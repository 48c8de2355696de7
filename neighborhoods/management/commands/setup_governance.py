"""Give every submunicipality its team, and the translators their permissions."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from neighborhoods.models import SubmunicipalityPage
from teams.governance import TRANSLATORS_GROUP, set_up_all_areas


class Command(BaseCommand):
    help = (
        "Create or complete, for every submunicipality page, its Editors and Reviewers groups, "
        "its image and document collection and its 'review before publish' workflow, plus the "
        "city-wide Translators group (translate pages under every non-Spanish home page and the "
        "work categories and contractors; never publish, nothing on the Spanish tree). "
        "Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        self.stdout.write("Setting up the team of each submunicipality…")
        teams = set_up_all_areas(SubmunicipalityPage.objects.all(), stdout=self.stdout)
        translators = Group.objects.get(name=TRANSLATORS_GROUP)
        trees = sorted(set(translators.page_permissions.values_list("page__locale__language_code", flat=True)))
        self.stdout.write(f"  {translators.name}: may translate in {', '.join(trees) or 'no language tree yet'}")
        self.stdout.write(self.style.SUCCESS(f"Done: {len({t.pk for t in teams})} area team(s) ready."))
