"""Generate a city of any size for benchmarks (see ``demo.generate``)."""

import time

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from demo import generate


class Command(BaseCommand):
    help = (
        "Add a generated city to a database for measuring (search latency, page weights): "
        "submunicipalities, neighbourhoods, public works with budgets and news under the Spanish home "
        "page, budget lines, their aliases in every other language, and the search index, written in "
        "bulk with a progress bar. Generated pages' slugs start with 'gen-'; running again grows the "
        "city. Refuses a database with real content unless --force. Not for a production database."
    )

    def add_arguments(self, parser):
        defaults = generate.Sizes()
        parser.add_argument(
            "--submunicipalities",
            type=int,
            default=defaults.submunicipalities,
            help="submunicipalities to add (default %(default)s)",
        )
        parser.add_argument(
            "--neighborhoods",
            type=int,
            default=defaults.neighborhoods,
            help="neighbourhoods to add, spread over the submunicipalities (default %(default)s)",
        )
        parser.add_argument(
            "--works",
            type=int,
            default=defaults.works,
            help="public works to add, spread over the neighbourhoods (default %(default)s)",
        )
        parser.add_argument("--news", type=int, default=defaults.news, help="news items to add (default %(default)s)")
        parser.add_argument(
            "--budget-lines",
            type=int,
            default=defaults.budget_lines,
            help="budget lines per new neighbourhood and year, two years (default %(default)s)",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed, for the same city again (default %(default)s)"
        )
        parser.add_argument(
            "--no-aliases", action="store_true", help="do not copy the pages as aliases into the other languages"
        )
        parser.add_argument(
            "--no-index", action="store_true", help="do not build the search index (run update_index later)"
        )
        parser.add_argument(
            "--force", action="store_true", help="add the generated city even though the site has real content"
        )

    def handle(self, *args, **options):
        sizes = generate.Sizes(
            submunicipalities=options["submunicipalities"],
            neighborhoods=options["neighborhoods"],
            works=options["works"],
            news=options["news"],
            budget_lines=options["budget_lines"],
        )
        if min(sizes.submunicipalities, sizes.neighborhoods, sizes.works, sizes.news, sizes.budget_lines) < 0:
            raise CommandError("Sizes cannot be negative.")
        if not options["force"] and generate.has_real_content():
            raise CommandError(
                "This database has real pages (not generated ones). A generated city would be mixed with them: "
                "use a separate database, or --force to add it anyway."
            )
        quiet = options["verbosity"] < 1

        def progress(iterable, desc="", total=None):
            return tqdm(iterable, desc=desc, total=total, disable=quiet, file=self.stderr._out, leave=False)

        started = time.monotonic()
        report = generate.generate_city(
            sizes,
            seed=options["seed"],
            aliases=not options["no_aliases"],
            index=not options["no_index"],
            progress=progress,
        )
        summary = ", ".join(f"{count} {kind}" for kind, count in report.created.items())
        self.stdout.write(f"Generated in {time.monotonic() - started:.1f} s: {summary}.")
