"""Reading the municipality's spreadsheets: files into rows, cells into values, problems by row and column.

``read_table`` turns a file into rows: XLSX (first sheet) or CSV in UTF-8 or Latin-1
(Windows-1252), separated by commas or semicolons (detected from the header line). Headers are
matched without accents, case or spaces, so "Código" and "codigo" are the same column. Row
numbers are the spreadsheet's: the header is row 1. Amounts accept Bolivian "1.250.000,50" as
well as "1250000.50". ``RowReader`` reads one row's cells and turns each bad value into a
problem at (row, column) of the ``ImportReport``.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
#: An XLSX file is a zip: what its parts may add up to once unzipped (a small file can unzip to
#: gigabytes).
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
#: Rows of the sheet (the header and any empty rows count), and columns read.
MAX_ROWS = 20_000
MAX_COLUMNS = 60
CENTS = Decimal("0.01")
SIX_PLACES = Decimal("0.000001")
MAX_AMOUNT = Decimal("1000000000000")  # 14 digits, 2 of them decimals

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


def _unzipped_size(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TableError(_("The file is not a valid XLSX spreadsheet.")) from error


def _records_from_xlsx(content):
    from openpyxl import load_workbook

    if _unzipped_size(content) > MAX_UNZIPPED_BYTES:
        raise TableError(
            _("The spreadsheet is larger than %(size)s MB once opened: split it into smaller files.")
            % {"size": MAX_UNZIPPED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(_("The file is not a valid XLSX spreadsheet.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        for number, values in enumerate(rows, start=1):
            yield number, ["" if value is None else value for value in values]
    finally:
        workbook.close()


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content, filename=""):
    """The header and rows of a CSV or XLSX file given as bytes. Raises ``TableError``."""
    if len(content) > MAX_FILE_BYTES:
        raise TableError(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
    records = _records_from_xlsx(content) if _is_xlsx(content, filename) else _records_from_csv(content)
    headers, rows = None, []
    for number, values in records:
        if number > MAX_ROWS:
            raise TableError(
                _(
                    "The sheet goes on past row %(limit)s: import at most %(limit)s rows at a time, and "
                    "delete any empty rows below the data."
                )
                % {"limit": MAX_ROWS}
            )
        if len(values) > MAX_COLUMNS and any(not is_blank(value) for value in values[MAX_COLUMNS:]):
            raise TableError(
                _("Row %(row)s has more than %(limit)s columns: the import reads at most %(limit)s.")
                % {"row": number, "limit": MAX_COLUMNS}
            )
        if all(is_blank(value) for value in values):
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


def cell_text(value):
    if is_blank(value):
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
        raise RowError(_("%(value)s is outside %(low)s–%(high)s.") % {"value": number, "low": low, "high": high})
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
        value = cell_text(self.row.get(column))
        if required and not value:
            self.error(column, _("This value is required."))
        elif max_length and len(value) > max_length:
            self.error(
                column,
                _("At most %(max)s characters (this has %(length)s).")
                % {
                    "max": max_length,
                    "length": len(value),
                },
            )
        return value

    def parse(self, column, parser, *args, required=False, default=None):
        value = self.row.get(column)
        if is_blank(value):
            if required:
                self.error(column, _("This value is required."))
            return default
        try:
            return parser(value, *args)
        except RowError as error:
            self.error(column, str(error))
            return default
