"""Import budget lines and public works from the municipality's spreadsheets (CSV or XLSX).

Shared by ``manage.py import_budget`` / ``import_works`` and the admin's import screens.

How an import goes:

1. ``read_table`` turns the file into rows: XLSX (first sheet) or CSV in UTF-8 or Latin-1
   (Windows-1252), separated by commas or semicolons (detected from the header line). Headers
   are matched without accents, case or spaces, so "Código" and "codigo" are the same column.
   Row numbers are the spreadsheet's: the header is row 1.
2. Every row is checked and every problem is collected, by row and column, before anything is
   written. An import with any problem writes nothing.
3. Without problems, the plan is applied inside one transaction: new codes are created,
   changed rows update what exists, identical rows are left alone (no save, no revision), so
   importing the same file twice changes nothing the second time.

A budget line is identified by (area, fiscal year, code), as in the database's unique
constraint; a work by its project code in the Spanish (source) locale. A column left out of
the file leaves that field as it is on existing lines and works; an empty cell empties it.
Amounts accept Bolivian "1.250.000,50" as well as "1250000.50".

When a ``user`` is given (the admin), rows outside that user's submunicipality are problems,
and so are works rows in areas where that user may not publish: works are published by the
import, so an editor's work rows would skip the area's review.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Locale

from django_tasks import task

from budgets.models import BudgetLine
from budgets.permissions import area_pages_for_user
from imports.tables import (
    ImportReport,
    Outcome,
    Problem,
    RowReader,
    TableError,
    cell_text,
    parse_amount,
    parse_coordinate,
    parse_date,
    parse_integer,
    plain,
    read_table,
)
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from works.models import Contractor, PublicWorkPage, WorkCategory, WorkStatus

BUDGET = "budget"
WORKS = "works"
KINDS = {BUDGET: gettext_lazy("Budget lines"), WORKS: gettext_lazy("Public works")}

BUDGET_COLUMNS = {
    "required": ["codigo", "gestion", "subalcaldia", "categoria", "descripcion", "monto_asignado"],
    "optional": ["barrio", "monto_ejecutado", "fuente_financiamiento", "codigo_obra"],
}
WORKS_COLUMNS = {
    "required": ["codigo", "barrio", "titulo", "categoria", "estado", "presupuesto"],
    "optional": [
        "subalcaldia",
        "avance",
        "monto_ejecutado",
        "contratista",
        "inicio_previsto",
        "fin_previsto",
        "inicio_real",
        "fin_real",
        "latitud",
        "longitud",
        "resumen",
    ],
}

# Spanish names of the statuses, as the municipality writes them, plus the internal values.
STATUS_NAMES = {
    "planificada": "planned",
    "planificado": "planned",
    "en ejecucion": "in_progress",
    "paralizada": "paused",
    "paralizado": "paused",
    "concluida": "completed",
    "concluido": "completed",
    "cancelada": "cancelled",
    "cancelado": "cancelled",
}


# --- What the database already holds ---------------------------------------------------------


class Places:
    """The Spanish submunicipalities and neighbourhoods, looked up by name in two queries."""

    def __init__(self, locale):

        self.submunicipalities = {}
        for page in SubmunicipalityPage.objects.filter(locale=locale).only("pk", "title", "path", "depth"):
            self.submunicipalities.setdefault(plain(page.title), []).append(page)
        self.neighborhoods = {}
        for page in NeighborhoodPage.objects.filter(locale=locale).only("pk", "title", "path", "depth"):
            self.neighborhoods.setdefault(plain(page.title), []).append(page)

    @staticmethod
    def contains(area, page):
        return page.path.startswith(area.path)

    def submunicipality_of(self, neighborhood):
        for pages in self.submunicipalities.values():
            for page in pages:
                if self.contains(page, neighborhood):
                    return page
        return None


class Categories:
    def __init__(self, locale):

        self.by_code, self.by_name = {}, {}
        for category in WorkCategory.objects.filter(locale=locale):
            self.by_code[category.code.lower()] = category
            self.by_name[plain(category.name)] = category

    def find(self, value):
        text = cell_text(value)
        return self.by_code.get(text.lower()) or self.by_name.get(plain(text))


# --- Importers -------------------------------------------------------------------------------


class BaseImporter:
    kind = None
    columns = None

    def __init__(self, user=None, progress=None):
        self.user = user
        self.progress = progress or (lambda iterable, **kwargs: iterable)
        self.locale = Locale.get_default()

    @classmethod
    def expected_headers(cls):
        return cls.columns["required"] + cls.columns["optional"]

    def check_headers(self, table, report):
        known = set(self.expected_headers())
        missing = [column for column in self.columns["required"] if column not in table.headers]
        report.ignored_columns = [header for header in table.headers if header not in known]
        if missing:
            report.add(
                None,
                None,
                _("Missing required column(s): %(missing)s. Expected headers: %(expected)s (optional: %(optional)s).")
                % {
                    "missing": ", ".join(missing),
                    "expected": ", ".join(self.columns["required"]),
                    "optional": ", ".join(self.columns["optional"]),
                },
            )
        duplicated = sorted({header for header in table.headers if table.headers.count(header) > 1})
        if duplicated:
            report.add(None, None, _("Columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
        return not missing and not duplicated

    def allowed_area_ids(self):
        """The pks of the areas ``user`` may import into (None: any)."""

        if self.user is None:
            return None
        pages = area_pages_for_user(self.user, locale=self.locale)
        return None if pages is None else set(pages.values_list("pk", flat=True))

    def find_area(self, reader, places, submunicipality_column="subalcaldia", neighborhood_column="barrio"):
        """The submunicipality and neighbourhood a row names (either may be None)."""
        submunicipality = None
        name = reader.text(submunicipality_column) if reader.has(submunicipality_column) else ""
        if name:
            matches = places.submunicipalities.get(plain(name), [])
            if not matches:
                reader.error(submunicipality_column, _("Unknown submunicipality “%(name)s”.") % {"name": name})
                return None, None
            submunicipality = matches[0]
        barrio = reader.text(neighborhood_column) if reader.has(neighborhood_column) else ""
        if not barrio:
            return submunicipality, None
        matches = places.neighborhoods.get(plain(barrio), [])
        if not matches:
            reader.error(neighborhood_column, _("Unknown neighbourhood “%(name)s”.") % {"name": barrio})
            return submunicipality, None
        if submunicipality is not None:
            inside = [page for page in matches if places.contains(submunicipality, page)]
            if not inside:
                reader.error(
                    neighborhood_column,
                    _("The neighbourhood “%(name)s” is not in the submunicipality “%(area)s”.")
                    % {"name": barrio, "area": submunicipality.title},
                )
                return submunicipality, None
            return submunicipality, inside[0]
        if len(matches) > 1:
            reader.error(
                neighborhood_column,
                _("Several neighbourhoods are called “%(name)s”: add the column subalcaldia.") % {"name": barrio},
            )
            return None, None
        return places.submunicipality_of(matches[0]), matches[0]

    def prepare(self, table, report):
        """Check every row, collecting each problem in ``report``, and return the plan ``apply`` carries out.

        The skeleton both importers share: the places, categories and allowed areas are read once;
        each row's ``codigo`` is read, then ``check_row`` reads the rest; a row whose ``row_key``
        repeats an earlier row's is a problem; ``plan`` compares the good rows with what exists.
        """
        self.places = Places(self.locale)
        self.categories = Categories(self.locale)
        self.allowed = self.allowed_area_ids()
        self.present = {name for name, column in self.FIELDS.items() if column in table.headers}
        self.load_existing(table)
        rows, seen = [], {}
        for number, row in self.progress(table.rows, total=len(table.rows), desc=_("Checking")):
            reader = RowReader(report, number, row)
            code = reader.text("codigo", required=True, max_length=40)
            checked = self.check_row(reader, code)
            if reader.failed:
                continue
            key = self.row_key(code, checked)
            if key in seen:
                reader.error("codigo", self.repeated_message(code, seen[key]))
                continue
            seen[key] = number
            rows.append((number, code, checked))
        return self.plan(rows, report)

    def check_area(self, reader, area, column):
        """Whether the user may import into ``area``; when not, a problem at ``column``."""
        if area is not None and self.allowed is not None and area.pk not in self.allowed:
            reader.error(column, _("You may not import into “%(area)s”: it is not your area.") % {"area": area.title})
            return False
        return True

    def category(self, reader):
        """The row's category, by code or Spanish name (a problem when it names none)."""
        name = reader.text("categoria", required=True)
        category = self.categories.find(name) if name else None
        if name and category is None:
            reader.error(
                "categoria", _("Unknown category “%(value)s” (use its code or Spanish name).") % {"value": name}
            )
        return category

    def run(self, table, report, dry_run=False):
        if not self.check_headers(table, report):
            return
        plan = self.prepare(table, report)
        if report.problems or dry_run:
            return
        self.apply(plan, report)
        report.applied = True


class BudgetImporter(BaseImporter):
    kind = BUDGET
    columns = BUDGET_COLUMNS
    FIELDS = {
        "category_id": "categoria",
        "description": "descripcion",
        "amount_allocated": "monto_asignado",
        "amount_executed": "monto_ejecutado",
        "funding_source": "fuente_financiamiento",
        "work_id": "codigo_obra",
    }

    def load_existing(self, table):
        work_codes = {cell_text(row.get("codigo_obra")) for _n, row in table.rows} - {""}
        self.works = {
            work.project_code: work
            for work in PublicWorkPage.objects.filter(locale=self.locale, project_code__in=work_codes).only(
                "pk", "path", "depth", "project_code", "title"
            )
        }

    def check_row(self, reader, code):
        """(area, fiscal year, the line's values) of one row."""
        year = reader.parse("gestion", parse_integer, 2000, 2100, required=True)
        submunicipality, neighborhood = self.find_area(reader, self.places)
        if submunicipality is None and not reader.failed and not reader.text("subalcaldia"):
            reader.error("subalcaldia", _("This value is required."))
        area = neighborhood or submunicipality
        self.check_area(reader, area, "barrio" if neighborhood else "subalcaldia")
        category = self.category(reader)
        values = {
            "description": reader.text("descripcion", required=True, max_length=255),
            "amount_allocated": reader.parse("monto_asignado", parse_amount, required=True),
            "amount_executed": reader.parse("monto_ejecutado", parse_amount, default=Decimal("0.00")),
            "funding_source": reader.text("fuente_financiamiento", max_length=120),
            "category_id": category.pk if category else None,
            "work_id": None,
        }
        allocated, executed = values["amount_allocated"], values["amount_executed"]
        if allocated is not None and executed is not None and executed > allocated:
            reader.error(
                "monto_ejecutado",
                _("The amount executed (%(executed)s) is larger than the amount allocated (%(allocated)s).")
                % {"executed": executed, "allocated": allocated},
            )
        work_code = reader.text("codigo_obra")
        if work_code:
            work = self.works.get(work_code)
            if work is None:
                reader.error("codigo_obra", _("No work has the code “%(code)s”.") % {"code": work_code})
            elif area is not None and not self.places.contains(area, work):
                reader.error(
                    "codigo_obra",
                    _("The work “%(code)s” is not in “%(area)s”.") % {"code": work_code, "area": area.title},
                )
            else:
                values["work_id"] = work.pk
        return area, year, values

    @staticmethod
    def row_key(code, checked):
        area, year, _values = checked
        return area.pk, year, code

    @staticmethod
    def repeated_message(code, first):
        return _("The code %(code)s is repeated: row %(first)s has the same area, year and code.") % {
            "code": code,
            "first": first,
        }

    def plan(self, rows, report):
        """The lines to create and to update, and the fields that change (one query)."""
        existing = {
            (line.area_id, line.fiscal_year, line.code): line
            for line in BudgetLine.objects.filter(
                area_id__in={area.pk for _n, _c, (area, _y, _v) in rows},
                fiscal_year__in={year for _n, _c, (_a, year, _v) in rows},
            )
        }
        to_create, to_update, changed_fields = [], [], set()
        for number, code, (area, year, values) in rows:
            line = existing.get((area.pk, year, code))
            label = f"{area.title} · {year} · {values['description']}"
            if line is None:
                to_create.append(BudgetLine(area_id=area.pk, fiscal_year=year, code=code, **values))
                report.outcomes.append(Outcome(number, code, label, "created"))
                continue
            changes = [name for name in self.present if getattr(line, name) != values[name]]
            for name in changes:
                setattr(line, name, values[name])
            changed_fields.update(changes)
            if changes:
                to_update.append(line)
            report.outcomes.append(
                Outcome(number, code, label, "updated" if changes else "unchanged", [self.FIELDS[c] for c in changes])
            )
        return to_create, to_update, sorted(changed_fields)

    INDEXED = {"description", "fiscal_year", "area_id"}

    def apply(self, plan, report):

        to_create, to_update, changed_fields = plan
        created = BudgetLine.objects.bulk_create(to_create, batch_size=1000)
        if to_update:
            BudgetLine.objects.bulk_update(to_update, changed_fields, batch_size=200)
        # Bulk saves send no signals: the search index is refreshed after the commit instead,
        # only for lines whose indexed fields changed (amounts are not indexed).
        self.to_index = [line.pk for line in created]
        if self.INDEXED & set(changed_fields):
            self.to_index += [line.pk for line in to_update]


INDEX_BATCH = 1000


@task()
def index_budget_lines(pks):
    """Bring the search index up to date for the budget lines ``pks`` (in bulk)."""
    from wagtail.search.backends import get_search_backends

    objects = list(BudgetLine.objects.filter(pk__in=pks))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(BudgetLine, objects)


def schedule_indexing(pks):
    """Index ``pks`` once the import is committed: a background task where a task worker runs,
    else right after the commit."""

    def enqueue():
        for start in range(0, len(pks), INDEX_BATCH):
            index_budget_lines.enqueue(pks[start : start + INDEX_BATCH])

    if pks:
        transaction.on_commit(enqueue)


class WorksImporter(BaseImporter):
    kind = WORKS
    columns = WORKS_COLUMNS
    # field name → column
    FIELDS = {
        "title": "titulo",
        "category_id": "categoria",
        "status": "estado",
        "progress": "avance",
        "budget": "presupuesto",
        "amount_executed": "monto_ejecutado",
        "contractor": "contratista",
        "planned_start": "inicio_previsto",
        "planned_end": "fin_previsto",
        "actual_start": "inicio_real",
        "actual_end": "fin_real",
        "latitude": "latitud",
        "longitude": "longitud",
        "summary": "resumen",
    }

    def __init__(self, user=None, progress=None):
        super().__init__(user=user, progress=progress)
        self._publishable = {}

    def may_publish_in(self, neighborhood):
        if self.user is None:
            return True
        if neighborhood.pk not in self._publishable:
            self._publishable[neighborhood.pk] = neighborhood.permissions_for_user(self.user).can_publish()
        return self._publishable[neighborhood.pk]

    def load_existing(self, table):
        self.contractors = {plain(c.name): c for c in Contractor.objects.filter(locale=self.locale)}
        codes = {cell_text(row.get("codigo")) for _n, row in table.rows} - {""}
        self.existing = {
            work.project_code: work
            for work in PublicWorkPage.objects.filter(locale=self.locale, project_code__in=codes).select_related(
                "contractor"
            )
        }
        self.status_names = dict(STATUS_NAMES)
        for status in WorkStatus:
            self.status_names[plain(status.value)] = status.value
            self.status_names[plain(status.value.replace("_", " "))] = status.value
            self.status_names[plain(str(status.label))] = status.value

    def check_row(self, reader, code):
        """(neighbourhood, the work that has the code or None, the work's values) of one row."""
        _submunicipality, neighborhood = self.find_area(reader, self.places)
        if neighborhood is None and not reader.failed:
            reader.error("barrio", _("This value is required."))
        if (
            neighborhood is not None
            and self.check_area(reader, neighborhood, "barrio")
            and not self.may_publish_in(neighborhood)
        ):
            reader.error(
                "barrio",
                _("You may not publish works in “%(area)s”: ask the area's reviewers to import this file.")
                % {"area": neighborhood.title},
            )
        category = self.category(reader)
        status_name = reader.text("estado", required=True)
        status = self.status_names.get(plain(status_name)) if status_name else None
        if status_name and status is None:
            reader.error(
                "estado",
                _("Unknown status “%(value)s”: use planificada, en ejecución, paralizada, concluida or cancelada.")
                % {"value": status_name},
            )
        values = {
            "title": reader.text("titulo", required=True, max_length=255),
            "category_id": category.pk if category else None,
            "status": status,
            "progress": reader.parse("avance", parse_integer, 0, 100, default=0),
            "budget": reader.parse("presupuesto", parse_amount, required=True),
            "amount_executed": reader.parse("monto_ejecutado", parse_amount, default=Decimal("0.00")),
            "contractor": reader.text("contratista", max_length=200),
            "planned_start": reader.parse("inicio_previsto", parse_date),
            "planned_end": reader.parse("fin_previsto", parse_date),
            "actual_start": reader.parse("inicio_real", parse_date),
            "actual_end": reader.parse("fin_real", parse_date),
            "latitude": reader.parse("latitud", parse_coordinate, 90),
            "longitude": reader.parse("longitud", parse_coordinate, 180),
            "summary": reader.text("resumen"),
        }
        budget, executed = values["budget"], values["amount_executed"]
        if budget is not None and executed is not None and executed > budget:
            reader.error(
                "monto_ejecutado",
                _("The amount executed (%(executed)s) is larger than the budget (%(budget)s).")
                % {"executed": values["amount_executed"], "budget": values["budget"]},
            )
        for start, end, column in (
            ("planned_start", "planned_end", "fin_previsto"),
            ("actual_start", "actual_end", "fin_real"),
        ):
            if values[start] and values[end] and values[end] < values[start]:
                reader.error(
                    column,
                    _("The end (%(end)s) is before the start (%(start)s).")
                    % {"end": values[end].strftime("%d/%m/%Y"), "start": values[start].strftime("%d/%m/%Y")},
                )
        if (values["latitude"] is None) != (values["longitude"] is None) and not reader.failed:
            missing = "longitud" if values["longitude"] is None else "latitud"
            if reader.has("latitud") and reader.has("longitud"):
                reader.error(missing, _("Give both the latitude and the longitude, or neither."))
        work = self.existing.get(code)
        if work is not None and neighborhood is not None and work.path[: -work.steplen] != neighborhood.path:
            reader.error(
                "barrio",
                _("The work %(code)s is in another neighbourhood; move it in the admin, not by import.")
                % {"code": code},
            )
        return neighborhood, work, values

    @staticmethod
    def row_key(code, checked):
        return code

    @staticmethod
    def repeated_message(code, first):
        return _("The code %(code)s is repeated: it is also in row %(first)s.") % {"code": code, "first": first}

    def plan(self, rows, report):
        """The works to create and those that change, each with the fields to set (no query)."""
        plan = []
        for number, code, (neighborhood, work, values) in rows:
            label = f"{neighborhood.title} · {values['title']}"
            if work is None:
                plan.append((number, code, neighborhood, None, values, sorted(self.present)))
                report.outcomes.append(Outcome(number, code, label, "created"))
                continue
            changes = [name for name in self.present if self._current(work, name) != values[name]]
            if changes:
                plan.append((number, code, neighborhood, work, values, changes))
            report.outcomes.append(
                Outcome(number, code, label, "updated" if changes else "unchanged", [self.FIELDS[c] for c in changes])
            )
        return plan

    @staticmethod
    def _current(work, name):
        if name == "contractor":
            return work.contractor.name.strip() if work.contractor_id else ""
        value = getattr(work, name)
        return "" if value is None and name == "summary" else value

    def _contractor(self, name):

        if not name:
            return None
        contractor = self.contractors.get(plain(name))
        if contractor is None:
            contractor = Contractor.objects.create(name=name, locale=self.locale)
            self.contractors[plain(name)] = contractor
        return contractor

    def apply(self, plan, report):

        parents = {}
        for number, code, neighborhood, work, values, changes in self.progress(plan, total=len(plan), desc=_("Saving")):
            try:
                if work is None:
                    parent = parents.get(neighborhood.pk) or neighborhood.specific
                    parents[neighborhood.pk] = parent
                    fields = {name: values[name] for name in changes if name != "contractor"}
                    work = PublicWorkPage(project_code=code, locale=self.locale, **fields)
                    if "contractor" in changes:
                        work.contractor = self._contractor(values["contractor"])
                    work.slug = self._free_slug(parent, values["title"])
                    work.live = False
                    parent.add_child(instance=work)
                else:
                    for name in changes:
                        if name == "contractor":
                            work.contractor = self._contractor(values["contractor"])
                        else:
                            setattr(work, name, values[name])
                work.save_revision(user=self.user).publish(user=self.user)
            except ValidationError as error:
                raise ApplyFailed([Problem(number, None, message) for message in error.messages]) from error

    @staticmethod
    def _free_slug(parent, title):
        base = slugify(title)[:240] or "obra"
        taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug


class ApplyFailed(Exception):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


IMPORTERS = {BUDGET: BudgetImporter, WORKS: WorksImporter}


def import_file(kind, content, filename="", user=None, dry_run=False, progress=None):
    """Check ``content`` (bytes of a CSV or XLSX file) and, unless ``dry_run`` or it has
    problems, import it in one transaction. Returns an ``ImportReport``; nothing is written
    when ``report.problems`` is not empty.
    """
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run)
    try:
        table = read_table(content, filename)
    except TableError as error:
        report.add(None, None, str(error))
        return report
    report.rows = len(table.rows)
    importer = IMPORTERS[kind](user=user, progress=progress)
    try:
        with transaction.atomic():
            importer.run(table, report, dry_run=dry_run)
            if report.applied:
                schedule_indexing(getattr(importer, "to_index", []))
    except ApplyFailed as failure:
        report.problems.extend(failure.problems)
        report.applied = False
    return report
