"""Cells that are safe to open: every CSV and XLSX the portal writes goes through here.

A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return (also after spaces) as a formula, which a resident's answer or an editor's title
could use to run one on a municipal computer (CSV injection). Such a text cell is written with
an apostrophe in front, the spreadsheet convention for "this is text": a program reading the
file as data strips one leading apostrophe from a text cell that starts with ``'`` followed by
one of those characters (the open-data files' CSVW metadata says so). Numbers, dates and empty
cells are never changed.

XLSX cannot hold most control characters (a vertical tab in an answer made the whole export
fail): they are replaced by U+FFFD, the replacement character, so the export always works and
shows where something was.
"""

import re

#: What makes a spreadsheet read a cell as a formula, after any leading spaces.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: What the CSVW metadata of each open-data CSV says of the convention.
CSV_TEXT_NOTE = (
    "Text cells that would start (after spaces) with =, +, -, @, a tab or a carriage return are "
    "written with an apostrophe (') in front, so that spreadsheet programs do not run them as "
    "formulas: remove that one leading apostrophe to read the original text."
)

#: Characters an XLSX file cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: C0 controls but tab,
#: line feed and carriage return).
XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def inert(value):
    """``value``, with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_safe(value):
    """``value``, with the characters an XLSX cell cannot hold replaced (text only)."""
    if isinstance(value, str):
        return XLSX_ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value)
    return value
