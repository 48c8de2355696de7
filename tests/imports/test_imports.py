"""Spreadsheet imports of budget lines and public works (``imports.importers``).

Two areas, A and B, each with a neighbourhood; CSV in UTF-8 with commas and in Latin-1 with
semicolons, and XLSX. Every kind of bad row is reported by row and column and writes nothing;
importing the same file again changes nothing; a changed row updates (a work gets a new
published revision); ``--dry-run`` writes nothing; and the admin's upload → preview → confirm
flow imports only into the editor's own area.
"""

import io
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale, Revision

import pytest

from budgets.models import BudgetLine
from imports import importers, tables
from imports.importers import import_file
from imports.tables import parse_amount, read_table
from teams.models import AreaTeam
from tests import factories
from works.models import Contractor, PublicWorkPage

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

BUDGET_HEADER = (
    "codigo,gestion,subalcaldia,barrio,categoria,descripcion,monto_asignado,monto_ejecutado,"
    "fuente_financiamiento,codigo_obra"
)
WORKS_HEADER = (
    "codigo,barrio,titulo,categoria,estado,avance,presupuesto,monto_ejecutado,contratista,"
    "inicio_previsto,fin_previsto,inicio_real,fin_real,latitud,longitud,resumen"
)


def csv(header, *rows):
    return ("\n".join((header, *rows)) + "\n").encode("utf-8")


def xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_at(report):
    return {(problem.row, problem.column) for problem in report.problems}


# --- Values, without a database --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1.250.000,50", "1250000.50"),
        ("1250000.50", "1250000.50"),
        ("1,250,000.50", "1250000.50"),
        ("1250000,5", "1250000.50"),
        ("1.250", "1250.00"),
        ("0.5", "0.50"),
        ("Bs 980.000", "980000.00"),
        (1500, "1500.00"),
        (1500.25, "1500.25"),
    ],
)
def test_amounts_in_bolivian_and_plain_formats(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["mil", "1.25.0", "12,34,5", "-5", "1,2,3.4.5", "3.14159"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(tables.RowError):
        parse_amount(text)


def test_headers_are_matched_without_accents_or_case_and_semicolons_are_detected():
    content = "Código;Gestión;Subalcaldía;Monto asignado\nX-1;2026;Centro;1.000,00\n".encode("cp1252")
    table = read_table(content, "planilla.csv")
    assert table.headers == ["codigo", "gestion", "subalcaldia", "monto_asignado"]
    assert table.rows == [
        (2, {"codigo": "X-1", "gestion": "2026", "subalcaldia": "Centro", "monto_asignado": "1.000,00"})
    ]


def test_the_xlsx_sample_holds_the_same_rows_as_the_csv_sample():
    from_csv = read_table((SAMPLES / "presupuesto_ejemplo.csv").read_bytes(), "presupuesto_ejemplo.csv")
    from_xlsx = read_table((SAMPLES / "presupuesto_ejemplo.xlsx").read_bytes(), "presupuesto_ejemplo.xlsx")
    assert from_xlsx.headers == from_csv.headers
    assert [row for _n, row in from_xlsx.rows] == [dict(row.items()) for _n, row in from_csv.rows]


# --- A small city -----------------------------------------------------------------------------


class Area:
    def __init__(self, letter):
        self.page = factories.submunicipality(title=f"Distrito {letter}")
        self.team = AreaTeam.objects.get(translation_key=self.page.translation_key)
        self.neighborhood = factories.neighborhood(self.page, title=f"Barrio {letter}")
        self.editor = factories.user(f"editor_{letter.lower()}", self.team.editors)
        self.reviewer = factories.user(f"revisor_{letter.lower()}", self.team.reviewers)


@pytest.fixture
def city(db):
    roads = factories.category("Vías y pavimentación", code="roads")
    factories.category("Parques y áreas verdes", code="parks")
    a, b = Area("A"), Area("B")
    work = factories.work(a.neighborhood, title="Obra A", project_code="OB-A-1", category=roads)
    return {"a": a, "b": b, "roads": roads, "work": work}


def budget_rows(letter="A", count=5):
    return [
        f'PRE-{letter}-{n},2026,Distrito {letter},Barrio {letter},roads,Línea {n},"1.250.000,50","250.000,00",IDH,'
        for n in range(1, count + 1)
    ]


def test_csv_utf8_with_commas_creates_lines(city):
    rows = budget_rows(count=2) + ["PRE-A-AREA,2026,Distrito A,,Parques y áreas verdes,Toda el área,1000,0,,OB-A-1"]
    report = import_file("budget", csv(BUDGET_HEADER, *rows), "presupuesto.csv")

    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    line = BudgetLine.objects.get(code="PRE-A-1")
    assert line.area_id == city["a"].neighborhood.pk
    assert line.amount_allocated == Decimal("1250000.50")
    assert line.amount_executed == Decimal("250000.00")
    assert line.funding_source == "IDH"
    whole = BudgetLine.objects.get(code="PRE-A-AREA")
    assert whole.area_id == city["a"].page.pk
    assert whole.category.code == "parks"
    assert whole.work_id == city["work"].pk


def test_csv_latin1_with_semicolons(city):
    content = (
        "codigo;gestion;subalcaldia;barrio;categoria;descripcion;monto_asignado;monto_ejecutado\n"
        "PRE-A-9;2026;Distrito A;Barrio A;Vías y pavimentación;Enlosetado de la calle Ñuñoa;1.500,75;0\n"
    ).encode("latin-1")
    report = import_file("budget", content, "presupuesto.csv")

    assert report.ok, [str(p) for p in report.problems]
    line = BudgetLine.objects.get(code="PRE-A-9")
    assert line.description == "Enlosetado de la calle Ñuñoa"
    assert line.amount_allocated == Decimal("1500.75")


def test_xlsx(city):
    content = xlsx(
        [
            ["codigo", "gestion", "subalcaldia", "barrio", "categoria", "descripcion", "monto_asignado"],
            ["PRE-A-X", 2026, "Distrito A", "Barrio A", "roads", "Desde Excel", 98765.4],
            ["PRE-A-Y", "2026", "Distrito A", None, "roads", "Texto en Excel", "1.000.000,00"],
        ]
    )
    report = import_file("budget", content, "presupuesto.xlsx")

    assert report.ok, [str(p) for p in report.problems]
    assert BudgetLine.objects.get(code="PRE-A-X").amount_allocated == Decimal("98765.40")
    assert BudgetLine.objects.get(code="PRE-A-Y").area_id == city["a"].page.pk


def test_every_bad_budget_row_is_reported_by_row_and_column_and_nothing_is_written(city):
    rows = [
        "PRE-1,2026,Distrito Z,Barrio A,roads,Área desconocida,100,0,,",  # row 2
        "PRE-2,2026,Distrito A,Barrio Z,roads,Barrio desconocido,100,0,,",  # row 3
        "PRE-3,2026,Distrito A,Barrio B,roads,Barrio de otra área,100,0,,",  # row 4
        "PRE-4,2026,Distrito A,Barrio A,roads,Monto que no es número,cien,0,,",  # row 5
        "PRE-5,2026,Distrito A,Barrio A,roads,Monto negativo,-100,0,,",  # row 6
        "PRE-6,2026,Distrito A,Barrio A,roads,Ejecutado mayor,100,200,,",  # row 7
        "PRE-7,2026,Distrito A,Barrio A,roads,Primera,100,0,,",  # row 8
        "PRE-7,2026,Distrito A,Barrio A,roads,Repetida,100,0,,",  # row 9
        "PRE-8,2026,Distrito A,Barrio A,agricultura,Categoría desconocida,100,0,,",  # row 10
        "PRE-9,1999,Distrito A,Barrio A,roads,Año fuera de rango,100,0,,",  # row 11
        "PRE-10,2026,Distrito A,Barrio A,roads,Obra desconocida,100,0,,OB-NADA",  # row 12
        ",2026,Distrito A,Barrio A,roads,Sin código,100,0,,",  # row 13
    ]
    report = import_file("budget", csv(BUDGET_HEADER, *rows), "malo.csv")

    assert problems_at(report) == {
        (2, "subalcaldia"),
        (3, "barrio"),
        (4, "barrio"),
        (5, "monto_asignado"),
        (6, "monto_asignado"),
        (7, "monto_ejecutado"),
        (9, "codigo"),
        (10, "categoria"),
        (11, "gestion"),
        (12, "codigo_obra"),
        (13, "codigo"),
    }
    assert all(problem.message for problem in report.problems)
    assert not report.applied
    assert not BudgetLine.objects.exists()


def test_a_missing_column_is_reported_once_with_the_expected_headers(city):
    content = csv("codigo,gestion,barrio,descripcion", *["PRE-1,2026,Barrio A,Algo"] * 3)
    report = import_file("budget", content, "columnas.csv")

    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.row is None
    for column in ("subalcaldia", "categoria", "monto_asignado"):
        assert column in problem.message
    assert "fuente_financiamiento" in problem.message  # the optional headers are listed too


def test_five_good_rows_and_one_bad_row_write_nothing(city):
    rows = budget_rows(count=5) + ['PRE-A-6,2026,Distrito A,Barrio A,roads,Mala,"1.000","2.000",,']
    report = import_file("budget", csv(BUDGET_HEADER, *rows), "casi.csv")

    assert problems_at(report) == {(7, "monto_ejecutado")}
    assert not BudgetLine.objects.exists()


def test_importing_the_same_budget_again_changes_nothing_and_a_changed_row_updates(city):
    content = csv(BUDGET_HEADER, *budget_rows(count=5))
    first = import_file("budget", content, "p.csv")
    assert first.created == 5

    second = import_file("budget", content, "p.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)

    changed = budget_rows(count=5)
    changed[2] = changed[2].replace('"250.000,00"', '"300.000,00"')
    third = import_file("budget", csv(BUDGET_HEADER, *changed), "p.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 4)
    assert third.outcomes[2].changes == ["monto_ejecutado"]
    assert BudgetLine.objects.get(code="PRE-A-3").amount_executed == Decimal("300000.00")
    assert BudgetLine.objects.count() == 5


def test_a_user_may_import_only_into_their_own_area(city):
    a, b = city["a"], city["b"]
    content = csv(BUDGET_HEADER, *budget_rows("A", 2), *budget_rows("B", 1))

    report = import_file("budget", content, "p.csv", user=a.editor)
    assert problems_at(report) == {(4, "barrio")}
    assert not BudgetLine.objects.exists()

    report = import_file("budget", csv(BUDGET_HEADER, *budget_rows("A", 2)), "p.csv", user=a.editor)
    assert report.ok and report.created == 2
    report = import_file("budget", csv(BUDGET_HEADER, *budget_rows("B", 1)), "p.csv", user=b.reviewer)
    assert report.ok and report.created == 1


# --- Works ------------------------------------------------------------------------------------


def work_row(code="OB-A-2", barrio="Barrio A", status="en ejecución", **changes):
    values = {
        "titulo": "Muro nuevo",
        "categoria": "roads",
        "avance": "40",
        "presupuesto": '"1.000.000,00"',
        "monto_ejecutado": '"400.000,00"',
        "contratista": "Constructora Nueva",
        "inicio_previsto": "01/02/2026",
        "fin_previsto": "2026-12-31",
        "inicio_real": "15/02/2026",
        "fin_real": "",
        "latitud": '"-16,5"',
        "longitud": "-68.13",
        "resumen": "Un muro de contención.",
    }
    values.update(changes)
    return ",".join(
        [code, barrio, values["titulo"], values["categoria"], status]
        + [
            values[key]
            for key in (
                "avance",
                "presupuesto",
                "monto_ejecutado",
                "contratista",
                "inicio_previsto",
                "fin_previsto",
                "inicio_real",
                "fin_real",
                "latitud",
                "longitud",
                "resumen",
            )
        ]
    )


def spanish_work(code):
    return PublicWorkPage.objects.get(project_code=code, locale=Locale.get_default())


def test_works_are_created_published_under_their_neighbourhood_with_a_new_contractor(city):
    report = import_file("works", csv(WORKS_HEADER, work_row()), "obras.csv")

    assert report.ok, [str(p) for p in report.problems]
    work = spanish_work("OB-A-2")
    assert work.live and not work.has_unpublished_changes
    assert work.get_parent().pk == city["a"].neighborhood.pk
    assert work.status == "in_progress"
    assert work.progress == 40
    assert work.budget == Decimal("1000000.00")
    assert work.planned_end.isoformat() == "2026-12-31"
    assert work.latitude == Decimal("-16.500000")
    assert work.contractor.name == "Constructora Nueva"
    assert Contractor.objects.filter(name="Constructora Nueva").count() == 1


def test_importing_the_same_works_again_makes_no_revision_and_a_change_makes_one(city):
    content = csv(WORKS_HEADER, work_row(), work_row("OB-A-1", titulo="Obra A", status="concluida", avance="100"))
    first = import_file("works", content, "obras.csv")
    assert (first.created, first.updated) == (1, 1)
    revisions = Revision.objects.count()

    second = import_file("works", content, "obras.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Revision.objects.count() == revisions

    changed = csv(
        WORKS_HEADER, work_row(avance="55"), work_row("OB-A-1", titulo="Obra A", status="concluida", avance="100")
    )
    third = import_file("works", changed, "obras.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Revision.objects.count() == revisions + 1
    work = spanish_work("OB-A-2")
    assert work.progress == 55 and work.live and not work.has_unpublished_changes
    assert Contractor.objects.filter(name="Constructora Nueva").count() == 1


def test_accepts_the_internal_status_values(city):
    report = import_file("works", csv(WORKS_HEADER, work_row(status="paused")), "obras.csv")
    assert report.ok
    assert spanish_work("OB-A-2").status == "paused"


def test_every_bad_works_row_is_reported_by_row_and_column_and_nothing_is_written(city):
    rows = [
        work_row("OB-1", barrio="Barrio Z"),  # 2 unknown neighbourhood
        work_row("OB-2", status="demorada"),  # 3 unknown status
        work_row("OB-3", avance="120"),  # 4 progress outside 0-100
        work_row("OB-4", inicio_previsto="31/02/2026"),  # 5 unparseable date
        work_row("OB-5", fin_real="01/01/2026"),  # 6 actual end before actual start
        work_row("OB-6", presupuesto="mucho"),  # 7 amount not a number
        work_row("OB-7", categoria="puentes"),  # 8 unknown category
        work_row("OB-8"),  # 9
        work_row("OB-8"),  # 10 duplicate code
        work_row("OB-9", monto_ejecutado='"2.000.000,00"'),  # 11 executed > budget
        work_row("OB-10", latitud="-95"),  # 12 latitude out of range
        work_row("OB-A-1", barrio="Barrio B"),  # 13 existing work in another neighbourhood
    ]
    revisions = Revision.objects.count()
    report = import_file("works", csv(WORKS_HEADER, *rows), "obras.csv")

    assert problems_at(report) == {
        (2, "barrio"),
        (3, "estado"),
        (4, "avance"),
        (5, "inicio_previsto"),
        (6, "fin_real"),
        (7, "presupuesto"),
        (8, "categoria"),
        (10, "codigo"),
        (11, "monto_ejecutado"),
        (12, "latitud"),
        (13, "barrio"),
    }
    assert not PublicWorkPage.objects.filter(project_code="OB-8").exists()
    assert Revision.objects.count() == revisions
    assert not Contractor.objects.exists()


def test_an_editor_may_not_publish_works_by_import_but_a_reviewer_may(city):
    a = city["a"]
    report = import_file("works", csv(WORKS_HEADER, work_row()), "obras.csv", user=a.editor)
    assert problems_at(report) == {(2, "barrio")}
    report = import_file("works", csv(WORKS_HEADER, work_row()), "obras.csv", user=city["b"].reviewer)
    assert problems_at(report) == {(2, "barrio")}
    report = import_file("works", csv(WORKS_HEADER, work_row()), "obras.csv", user=a.reviewer)
    assert report.ok and report.created == 1
    assert spanish_work("OB-A-2").get_latest_revision().user == a.reviewer


# --- The commands -----------------------------------------------------------------------------


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_dry_run_reports_and_writes_nothing(city, tmp_path):
    path = write(tmp_path, "p.csv", csv(BUDGET_HEADER, *budget_rows(count=3)))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_budget", path, "--dry-run", stdout=out)

    assert "3 to create" in out.getvalue()
    assert not BudgetLine.objects.exists()

    works = write(tmp_path, "o.csv", csv(WORKS_HEADER, work_row()))
    call_command("import_works", works, "--dry-run", stdout=out)
    assert not PublicWorkPage.objects.filter(project_code="OB-A-2").exists()


def test_commands_import_and_refuse_bad_files_listing_what_to_fix(city, tmp_path):
    out = io.StringIO()
    call_command("import_budget", write(tmp_path, "p.csv", csv(BUDGET_HEADER, *budget_rows(count=2))), stdout=out)
    assert BudgetLine.objects.count() == 2
    call_command("import_works", write(tmp_path, "o.csv", csv(WORKS_HEADER, work_row())), stdout=out)
    assert spanish_work("OB-A-2").live

    bad = write(
        tmp_path,
        "malo.csv",
        csv(BUDGET_HEADER, *budget_rows(count=1), "PRE-X,2026,Distrito A,Barrio A,roads,Mala,cien,0,,"),
    )
    with pytest.raises(CommandError) as error:
        call_command("import_budget", bad, stdout=out)
    assert "monto_ejecutado" not in str(error.value)
    assert "monto_asignado" in str(error.value) and "3" in str(error.value)
    assert BudgetLine.objects.count() == 2


def test_commands_grant_budget_permissions_to_teams_made_before(city, tmp_path):
    from django.contrib.auth.models import Permission

    team = city["a"].team
    team.reviewers.permissions.remove(*Permission.objects.filter(codename__endswith="_budgetline"))
    call_command(
        "import_budget", write(tmp_path, "p.csv", csv(BUDGET_HEADER, *budget_rows(count=1))), stdout=io.StringIO()
    )
    assert team.reviewers.permissions.filter(codename="delete_budgetline").exists()


# --- The admin's upload → preview → confirm ---------------------------------------------------


def upload(client, kind, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("imports_upload"), {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")})


def test_editor_uploads_previews_and_confirms_a_budget_for_their_area(client, city):
    a = city["a"]
    client.force_login(a.editor)
    assert client.get(reverse("imports_upload")).status_code == 200

    preview = upload(client, "budget", "p.csv", csv(BUDGET_HEADER, *budget_rows("A", 3)))
    assert preview.status_code == 200
    assert preview.context["report"].created == 3
    token = preview.context["token"]
    assert token
    assert "PRE-A-2" in preview.content.decode()
    assert not BudgetLine.objects.exists()

    done = client.post(reverse("imports_confirm"), {"token": token})
    assert done.status_code == 302
    assert BudgetLine.objects.filter(area=a.neighborhood).count() == 3

    # The same token again: the file is gone, nothing happens twice.
    again = client.post(reverse("imports_confirm"), {"token": token})
    assert again.status_code == 302
    assert BudgetLine.objects.count() == 3


def test_a_file_with_another_areas_rows_is_refused_in_the_admin(client, city):
    client.force_login(city["a"].editor)
    preview = upload(client, "budget", "p.csv", csv(BUDGET_HEADER, *budget_rows("A", 1), *budget_rows("B", 1)))

    assert preview.status_code == 200
    assert problems_at(preview.context["report"]) == {(3, "barrio")}
    assert preview.context["token"] is None
    html = preview.content.decode()
    assert "data-import-problems" in html and "<code>barrio</code>" in html
    assert not BudgetLine.objects.exists()


def test_a_token_is_only_good_for_the_user_who_uploaded(client, city):
    client.force_login(city["a"].editor)
    token = upload(client, "budget", "p.csv", csv(BUDGET_HEADER, *budget_rows("A", 1))).context["token"]

    client.force_login(city["a"].reviewer)
    response = client.post(reverse("imports_confirm"), {"token": token})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    response = client.post(reverse("imports_confirm"), {"token": token + "x"})
    assert response.status_code == 302
    assert not BudgetLine.objects.exists()


def test_reviewer_imports_works_through_the_admin(client, city):
    client.force_login(city["a"].reviewer)
    preview = upload(client, "works", "o.csv", csv(WORKS_HEADER, work_row()))
    assert preview.context["report"].created == 1
    client.post(reverse("imports_confirm"), {"token": preview.context["token"]})
    assert spanish_work("OB-A-2").live


def test_people_outside_the_teams_cannot_open_the_import(client, city):
    from teams.governance import ensure_translators_group

    client.force_login(factories.user("traductora", ensure_translators_group()))
    response = client.get(reverse("imports_upload"))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


# -- Bounds: a small file cannot hold a worker ------------------------------------------------


def zipped_xlsx_with_a_huge_sheet(unzipped_mb):
    """A valid-looking XLSX whose sheet unzips to ``unzipped_mb`` MB of blank rows (a few KB zipped)."""
    import zipfile

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                row = b"<row/>"
                data = data.replace(
                    b"<sheetData></sheetData>",
                    b"<sheetData>" + row * (unzipped_mb * 1024 * 1024 // len(row)) + b"</sheetData>",
                )
            archive.writestr(part, data)
    return out.getvalue()


def test_an_xlsx_that_unzips_to_more_than_the_limit_is_refused_before_it_is_read():
    content = zipped_xlsx_with_a_huge_sheet(70)
    assert len(content) < tables.MAX_FILE_BYTES
    report = import_file(importers.BUDGET, content, "bomba.xlsx")
    assert not report.ok
    assert str(tables.MAX_UNZIPPED_BYTES // (1024 * 1024)) in str(report.problems[0])


def test_a_sheet_longer_than_the_limit_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 50)
    rows = [BUDGET_HEADER.split(",")] + [[""] * 10] * 60 + [["PRE-1", 2026]]
    report = import_file(importers.BUDGET, xlsx(rows), "larga.xlsx")
    assert not report.ok
    assert "50" in str(report.problems[0])
    csv_report = import_file(importers.BUDGET, ("\n".join(["a,b"] * 70)).encode(), "larga.csv")
    assert "50" in str(csv_report.problems[0])


def test_a_row_wider_than_the_limit_is_refused():
    rows = [BUDGET_HEADER.split(","), ["x"] * (tables.MAX_COLUMNS + 5)]
    report = import_file(importers.BUDGET, xlsx(rows), "ancha.xlsx")
    assert not report.ok
    assert str(tables.MAX_COLUMNS) in str(report.problems[0])
