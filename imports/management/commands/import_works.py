"""Import public works from a CSV or XLSX spreadsheet (see ``imports.importers``)."""

from imports import importers
from imports.management.commands.import_budget import ImportCommand


class Command(ImportCommand):
    help = (
        "Import public works from a CSV (UTF-8 or Latin-1; comma or semicolon separated) or XLSX file. "
        f"Headers (row 1): {', '.join(importers.WORKS_COLUMNS['required'])}; optional: "
        f"{', '.join(importers.WORKS_COLUMNS['optional'])}. estado is planificada, en ejecución, paralizada, "
        "concluida or cancelada; avance 0-100; dates DD/MM/YYYY or YYYY-MM-DD; contratista is created if "
        "missing. A work is matched by its code (Spanish pages): new codes are created and published under "
        "the named neighbourhood, changed rows get a new published revision, identical rows are left alone. "
        "Any problem (reported by row and column) cancels the whole import. See samples/obras_ejemplo.csv."
    )
    kind = importers.WORKS
