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

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_tasks import task

from budgets.models import BudgetLine
from budgets.permissions import area_pages_for_user
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from works.models import Contractor, PublicWorkPage, WorkCategory, WorkStatus

MAX_FILE_BYTES = 5 * 1024 * 1024
CENTS = Decimal("0.01")
SIX_PLACES = Decimal("0.000001")
MAX_AMOUNT = Decimal("1000000000000")  # 14 digits, 2 of them decimals

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


# --- Reports ---------------------------------------------------------------------------------


@dataclass
class Problem:
    """Something to fix in the file: where (row, column) and why."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        if self.column:
            return _("Column “%(column)s”: %(message)s") % {"column": self.column, "message": self.message}
        return str(self.message)


@dataclass
class Outcome:
    """What the import does (or would do) with one row."""

    row: int
    code: str
    label: str
    action: str  # "created", "updated" or "unchanged"
    changes: list = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    filename: str = ""
    rows: int = 0
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False

    def _count(self, action):
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self):
        return self._count("created")

    @property
    def updated(self):
        return self._count("updated")

    @property
    def unchanged(self):
        return self._count("unchanged")

    @property
    def ok(self):
        return not self.problems

    def add(self, row, column, message):
        self.problems.append(Problem(row, column, message))

    def summary(self):
        values = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.applied:
            return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % values
        return _("%(created)s to create, %(updated)s to update, %(unchanged)s unchanged.") % values


class TableError(Exception):
    """The file cannot be read as a table at all."""


class RowError(Exception):
    """One cell's value is wrong; the message says why."""


# --- Reading files ---------------------------------------------------------------------------


def plain(text):
    """``text`` lower-cased, without accents and with single spaces: how names are compared."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def header_key(text):
    return re.sub(r"[\s\-]+", "_", plain(text).strip(" _"))


@dataclass
class Table:
    headers: list  # normalised
    rows: list  # (row number, {header: value})


def _is_xlsx(content, filename):
    return filename.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04"


def _decode(content):
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("The file is neither UTF-8 nor Latin-1 text."))  # latin-1 never fails


def _delimiter(text):
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _records_from_csv(content):
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise TableError(_("The file is not valid CSV: %(error)s") % {"error": error}) from error


def _records_from_xlsx(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(_("The file is not a valid XLSX spreadsheet.")) from error
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if value is None else value for value in values]
    finally:
        workbook.close()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content, filename=""):
    """The header and rows of a CSV or XLSX file given as bytes. Raises ``TableError``."""
    if len(content) > MAX_FILE_BYTES:
        raise TableError(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    records = _records_from_xlsx(content) if _is_xlsx(content, filename) else _records_from_csv(content)
    headers, rows = None, []
    for number, values in records:
        if all(_blank(value) for value in values):
            continue
        if headers is None:
            headers = [header_key(value) for value in values]
            continue
        row = {}
        for header, value in zip(headers, values, strict=False):
            if header:
                row[header] = value.strip() if isinstance(value, str) else value
        rows.append((number, row))
    if headers is None:
        raise TableError(_("The file is empty."))
    return Table(headers=[h for h in headers if h], rows=rows)


# --- Reading values --------------------------------------------------------------------------


def _text(value):
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_GROUPED = re.compile(r"[1-9]\d{0,2}")


def parse_amount(value):
    """A non-negative amount of bolivianos as a Decimal with two places.

    "1.250.000,50", "1,250,000.50", "1250000.50", "1250000,5" and "1.250" (one thousand two
    hundred and fifty: money has no thousandths) are all understood.
    """
    if isinstance(value, bool):
        raise RowError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        text = re.sub(r"(?i)^bs\.?", "", text)
        negative = text.startswith("-")
        digits = text[1:] if negative else text
        if not re.fullmatch(r"\d[\d.,]*", digits or "x") or digits[-1] in ".,":
            raise RowError(_("“%(value)s” is not a number.") % {"value": value})
        separators = [c for c in ".," if c in digits]
        integer, fraction = digits, ""
        if len(separators) == 2:
            decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
            integer, _sep, fraction = digits.rpartition(decimal)
            if decimal in integer or not _valid_groups(integer.split("," if decimal == "." else ".")):
                raise RowError(_("“%(value)s” is not a number.") % {"value": value})
            integer = integer.replace("," if decimal == "." else ".", "")
        elif separators:
            separator = separators[0]
            parts = digits.split(separator)
            if len(parts) > 2:
                if not _valid_groups(parts):
                    raise RowError(_("“%(value)s” is not a number.") % {"value": value})
                integer = "".join(parts)
            elif len(parts[1]) == 3 and _GROUPED.fullmatch(parts[0]):
                integer = parts[0] + parts[1]  # "1.250": thousands, as money has two decimals
            else:
                integer, fraction = parts
        try:
            amount = Decimal(f"{integer}.{fraction or '0'}")
        except InvalidOperation as error:
            raise RowError(_("“%(value)s” is not a number.") % {"value": value}) from error
        if negative:
            amount = -amount
    if not amount.is_finite():
        raise RowError(_("“%(value)s” is not a number.") % {"value": value})
    if amount < 0:
        raise RowError(_("The amount cannot be negative (%(value)s).") % {"value": value})
    if amount != amount.quantize(CENTS):
        raise RowError(_("“%(value)s” has more than two decimals.") % {"value": value})
    if amount >= MAX_AMOUNT:
        raise RowError(_("“%(value)s” is too large.") % {"value": value})
    return amount.quantize(CENTS)


def _valid_groups(parts):
    return bool(_GROUPED.fullmatch(parts[0])) and all(len(p) == 3 and p.isdigit() for p in parts[1:])


def parse_integer(value, low, high):
    if isinstance(value, bool):
        raise RowError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().rstrip("%").strip()
    if not re.fullmatch(r"-?\d+", text):
        raise RowError(_("“%(value)s” is not a whole number.") % {"value": value})
    number = int(text)
    if not low <= number <= high:
        raise RowError(
            _("%(value)s is outside %(low)s–%(high)s.") % {"value": number, "low": low, "high": high}
        )
    return number


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for date_format in DATE_FORMATS:
        try:
            date = datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
        if 1900 <= date.year <= 2100:
            return date
    raise RowError(_("“%(value)s” is not a date (DD/MM/YYYY or YYYY-MM-DD).") % {"value": value})


def parse_coordinate(value, limit):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise RowError(_("“%(value)s” is not a number.") % {"value": value}) from error
    if not number.is_finite() or not -limit <= number <= limit:
        raise RowError(_("%(value)s is outside -%(limit)s–%(limit)s.") % {"value": value, "limit": limit})
    return number.quantize(SIX_PLACES)


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
        text = _text(value)
        return self.by_code.get(text.lower()) or self.by_name.get(plain(text))


def default_locale():
    from wagtail.models import Locale

    return Locale.get_default()


# --- Importers -------------------------------------------------------------------------------


class RowReader:
    """Reads one row's cells, turning each bad value into a problem at (row, column)."""

    def __init__(self, report, number, row):
        self.report, self.number, self.row = report, number, row
        self.failed = False

    def has(self, column):
        return column in self.row

    def raw(self, column):
        return self.row.get(column)

    def error(self, column, message):
        self.failed = True
        self.report.add(self.number, column, message)

    def text(self, column, required=False, max_length=None):
        value = _text(self.row.get(column))
        if required and not value:
            self.error(column, _("This value is required."))
        elif max_length and len(value) > max_length:
            self.error(column, _("At most %(max)s characters (this has %(length)s).") % {
                "max": max_length,
                "length": len(value),
            })
        return value

    def parse(self, column, parser, *args, required=False, default=None):
        value = self.row.get(column)
        if _blank(value):
            if required:
                self.error(column, _("This value is required."))
            return default
        try:
            return parser(value, *args)
        except RowError as error:
            self.error(column, str(error))
            return default


class BaseImporter:
    kind = None
    columns = None

    def __init__(self, user=None, progress=None):
        self.user = user
        self.progress = progress or (lambda iterable, **kwargs: iterable)
        self.locale = default_locale()

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

    def prepare(self, table, report):

        places = Places(self.locale)
        categories = Categories(self.locale)
        allowed = self.allowed_area_ids()
        work_codes = {_text(row.get("codigo_obra")) for _n, row in table.rows} - {""}
        works = {
            work.project_code: work
            for work in PublicWorkPage.objects.filter(locale=self.locale, project_code__in=work_codes).only(
                "pk", "path", "depth", "project_code", "title"
            )
        }
        present = {name for name, column in self.FIELDS.items() if column in table.headers}

        rows, seen = [], {}
        for number, row in self.progress(table.rows, total=len(table.rows), desc=_("Checking")):
            reader = RowReader(report, number, row)
            code = reader.text("codigo", required=True, max_length=40)
            year = reader.parse("gestion", parse_integer, 2000, 2100, required=True)
            submunicipality, neighborhood = self.find_area(reader, places)
            if submunicipality is None and not reader.failed and not reader.text("subalcaldia"):
                reader.error("subalcaldia", _("This value is required."))
            area = neighborhood or submunicipality
            if area is not None and allowed is not None and area.pk not in allowed:
                column = "barrio" if neighborhood else "subalcaldia"
                reader.error(column, _("You may not import into “%(area)s”: it is not your area.") % {"area": area.title})
            category_name = reader.text("categoria", required=True)
            category = categories.find(category_name) if category_name else None
            if category_name and category is None:
                reader.error("categoria", _("Unknown category “%(value)s” (use its code or Spanish name).") % {
                    "value": category_name
                })
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
                reader.error("monto_ejecutado", _("The amount executed (%(executed)s) is larger than the amount allocated (%(allocated)s).") % {
                    "executed": executed,
                    "allocated": allocated,
                })
            work_code = reader.text("codigo_obra")
            if work_code:
                work = works.get(work_code)
                if work is None:
                    reader.error("codigo_obra", _("No work has the code “%(code)s”.") % {"code": work_code})
                elif area is not None and not places.contains(area, work):
                    reader.error("codigo_obra", _("The work “%(code)s” is not in “%(area)s”.") % {
                        "code": work_code,
                        "area": area.title,
                    })
                else:
                    values["work_id"] = work.pk
            if reader.failed:
                continue
            key = (area.pk, year, code)
            if key in seen:
                reader.error("codigo", _("The code %(code)s is repeated: row %(first)s has the same area, year and code.") % {
                    "code": code,
                    "first": seen[key],
                })
                continue
            seen[key] = number
            rows.append((number, key, area, values))

        if report.problems:
            return None
        area_ids = {key[0] for _n, key, _a, _v in rows}
        years = {key[1] for _n, key, _a, _v in rows}
        existing = {
            (line.area_id, line.fiscal_year, line.code): line
            for line in BudgetLine.objects.filter(area_id__in=area_ids, fiscal_year__in=years)
        }
        to_create, to_update, changed_fields = [], [], set()
        for number, key, area, values in rows:
            line = existing.get(key)
            label = f"{area.title} · {key[1]} · {values['description']}"
            if line is None:
                to_create.append(BudgetLine(area_id=key[0], fiscal_year=key[1], code=key[2], **values))
                report.outcomes.append(Outcome(number, key[2], label, "created"))
                continue
            changes = [name for name in present if getattr(line, name) != values[name]]
            for name in changes:
                setattr(line, name, values[name])
            changed_fields.update(changes)
            if changes:
                to_update.append(line)
            report.outcomes.append(
                Outcome(number, key[2], label, "updated" if changes else "unchanged", [self.FIELDS[c] for c in changes])
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

    def prepare(self, table, report):

        places = Places(self.locale)
        categories = Categories(self.locale)
        allowed = self.allowed_area_ids()
        contractors = {plain(c.name): c for c in Contractor.objects.filter(locale=self.locale)}
        codes = {_text(row.get("codigo")) for _n, row in table.rows} - {""}
        existing = {
            work.project_code: work
            for work in PublicWorkPage.objects.filter(locale=self.locale, project_code__in=codes).select_related(
                "contractor"
            )
        }
        present = {name for name, column in self.FIELDS.items() if column in table.headers}
        status_names = dict(STATUS_NAMES)
        for status in WorkStatus:
            status_names[plain(status.value)] = status.value
            status_names[plain(status.value.replace("_", " "))] = status.value
            status_names[plain(str(status.label))] = status.value

        plan, seen = [], {}
        for number, row in self.progress(table.rows, total=len(table.rows), desc=_("Checking")):
            reader = RowReader(report, number, row)
            code = reader.text("codigo", required=True, max_length=40)
            _submunicipality, neighborhood = self.find_area(reader, places)
            if neighborhood is None and not reader.failed:
                reader.error("barrio", _("This value is required."))
            if neighborhood is not None:
                if allowed is not None and neighborhood.pk not in allowed:
                    reader.error("barrio", _("You may not import into “%(area)s”: it is not your area.") % {
                        "area": neighborhood.title
                    })
                elif not self.may_publish_in(neighborhood):
                    reader.error("barrio", _("You may not publish works in “%(area)s”: ask the area's reviewers to import this file.") % {
                        "area": neighborhood.title
                    })
            category_name = reader.text("categoria", required=True)
            category = categories.find(category_name) if category_name else None
            if category_name and category is None:
                reader.error("categoria", _("Unknown category “%(value)s” (use its code or Spanish name).") % {
                    "value": category_name
                })
            status_name = reader.text("estado", required=True)
            status = status_names.get(plain(status_name)) if status_name else None
            if status_name and status is None:
                reader.error("estado", _("Unknown status “%(value)s”: use planificada, en ejecución, paralizada, concluida or cancelada.") % {
                    "value": status_name
                })
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
            if values["budget"] is not None and values["amount_executed"] is not None:
                if values["amount_executed"] > values["budget"]:
                    reader.error("monto_ejecutado", _("The amount executed (%(executed)s) is larger than the budget (%(budget)s).") % {
                        "executed": values["amount_executed"],
                        "budget": values["budget"],
                    })
            for start, end, column in (
                ("planned_start", "planned_end", "fin_previsto"),
                ("actual_start", "actual_end", "fin_real"),
            ):
                if values[start] and values[end] and values[end] < values[start]:
                    reader.error(column, _("The end (%(end)s) is before the start (%(start)s).") % {
                        "end": values[end].strftime("%d/%m/%Y"),
                        "start": values[start].strftime("%d/%m/%Y"),
                    })
            has_latitude, has_longitude = reader.has("latitud"), reader.has("longitud")
            if (values["latitude"] is None) != (values["longitude"] is None) and not reader.failed:
                missing = "longitud" if values["longitude"] is None else "latitud"
                if has_latitude and has_longitude:
                    reader.error(missing, _("Give both the latitude and the longitude, or neither."))
            work = existing.get(code)
            if work is not None and neighborhood is not None and work.path[: -work.steplen] != neighborhood.path:
                reader.error("barrio", _("The work %(code)s is in another neighbourhood; move it in the admin, not by import.") % {
                    "code": code
                })
            if reader.failed:
                continue
            if code in seen:
                reader.error("codigo", _("The code %(code)s is repeated: it is also in row %(first)s.") % {
                    "code": code,
                    "first": seen[code],
                })
                continue
            seen[code] = number
            label = f"{neighborhood.title} · {values['title']}"
            if work is None:
                plan.append((number, code, neighborhood, None, values, sorted(present)))
                report.outcomes.append(Outcome(number, code, label, "created"))
                continue
            changes = [name for name in present if self._current(work, name) != values[name]]
            plan.append((number, code, neighborhood, work, values, changes))
            report.outcomes.append(
                Outcome(number, code, label, "updated" if changes else "unchanged", [self.FIELDS[c] for c in changes])
            )
        self._contractors = contractors
        return [item for item in plan if item[3] is None or item[5]]

    @staticmethod
    def _current(work, name):
        if name == "contractor":
            return work.contractor.name.strip() if work.contractor_id else ""
        value = getattr(work, name)
        return "" if value is None and name == "summary" else value

    def _contractor(self, name):

        if not name:
            return None
        contractor = self._contractors.get(plain(name))
        if contractor is None:
            contractor = Contractor.objects.create(name=name, locale=self.locale)
            self._contractors[plain(name)] = contractor
        return contractor

    def apply(self, plan, report):

        parents = {}
        for number, code, neighborhood, work, values, changes in self.progress(
            plan, total=len(plan), desc=_("Saving")
        ):
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
