"""Fill the portal with a clearly-labelled demo of a La Paz-like city (see ``demo.city``)."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from demo import city as demo


class Command(BaseCommand):
    help = (
        "Create a demo of a La Paz-like city in Spanish, published under the Spanish home page: "
        f"{len(demo.AREAS)} submunicipalities (macrodistritos), "
        f"{sum(len(a.neighborhoods) for a in demo.AREAS)} neighbourhoods, "
        f"{sum(len(a.neighborhoods) for a in demo.AREAS) * demo.WORKS_PER_NEIGHBORHOOD} public works in every "
        "status and category (with budgets in bolivianos, dates, locations and progress updates), news, "
        "work categories, fictitious contractors, map boundaries, generated images in each area's "
        "collection, and demo accounts: an administrator, an editor and a reviewer per submunicipality "
        f"and a translator, all with the password '{demo.DEMO_PASSWORD}' (the log-ins are printed at "
        "the end). Every page says it is demo data ('[Demo]'). Safe to run again: only what is "
        "missing is created. Refuses to run when the site already has real submunicipalities, "
        "neighbourhoods or works, unless --force is given. Under production settings it refuses to "
        "create accounts with that published password: give --random-passwords (each account gets "
        "its own, printed once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--random-passwords",
            action="store_true",
            help="Give each new demo account its own random password, printed once at the end (needed "
            "under production settings).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Add the demo even though the site already has real (non-demo) submunicipalities, "
                "neighbourhoods or works. The demo pages are added next to them, not instead of them."
            ),
        )

    def handle(self, *args, force=False, random_passwords=False, verbosity=1, **options):
        if not (settings.DEMO_PUBLISHED_PASSWORD or random_passwords):
            raise CommandError(
                f"These settings ({settings.SETTINGS_MODULE}) do not allow demo accounts with the published "
                f"password '{demo.DEMO_PASSWORD}': anyone could log in as them. Run "
                "'manage.py load_demo --random-passwords' to give each new demo account its own random "
                "password (printed once at the end)."
            )
        if not force:
            total, titles = demo.non_demo_places()
            if total:
                examples = ", ".join(f"'{title}'" for title in titles)
                raise CommandError(
                    f"This site already has {total} submunicipality, neighbourhood or work page(s) "
                    f"that are not part of the demo (e.g. {examples}). Loading the demo would mix "
                    "fictitious data with real content. To add the demo anyway, run "
                    "'manage.py load_demo --force'."
                )

        started = time.monotonic()
        log = self.stdout.write if verbosity >= 1 else None
        self.stdout.write("Building the demo city (only what is missing is created)…")
        try:
            report = demo.load_demo(log=log, random_passwords=random_passwords)
        except LookupError as error:
            raise CommandError(str(error)) from error
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend):
            # The search index is updated by background tasks, which only a worker runs: build it
            # now so that search finds the demo at once (the queued tasks then change nothing).
            self.stdout.write("Building the search index (the task queue is not run in this process)…")
            call_command("update_index", verbosity=0)
        elapsed = time.monotonic() - started

        self.stdout.write("")
        self.stdout.write("Summary (created / already present):")
        kinds = sorted(set(report.created) | set(report.existing))
        kind_width = max(map(len, kinds))
        for kind in kinds:
            self.stdout.write(f"  {kind:<{kind_width}}  {report.created[kind]:>4} / {report.existing[kind]:>4}")
        self.stdout.write("")
        self.stdout.write("Demo log-ins (admin at /admin/):")
        width = max(len(login.username) for login in report.logins)
        for login in report.logins:
            note = "" if login.created else "  (existing account: password not reset)"
            self.stdout.write(f"  {login.username:<{width}}  {login.password}  {login.role}{note}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {elapsed:.1f} s."))
