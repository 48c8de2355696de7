"""Open data: the published works, budget lines and area boundaries as CSV, JSON and GeoJSON.

URLs (under any language prefix; the data is the same, always the Spanish source pages)::

    /<lang>/datos/ciudad/<file>                       the whole city
    /<lang>/datos/subalcaldia/<page id>/<file>        a submunicipality (and its neighbourhoods)
    /<lang>/datos/barrio/<page id>/<file>             a neighbourhood

    <file>: obras.csv, obras.json, obras.geojson      works (GeoJSON: points, works with a location)
            presupuesto.csv, presupuesto.json         budget lines (optionally ?anio=2026)
            areas.geojson                             boundaries: the city's submunicipalities, a
                                                      submunicipality's neighbourhoods, or a
                                                      neighbourhood's own boundary
            obras.csv-metadata.json,                  the CSV files' sidecar: W3C CSV on the Web
            presupuesto.csv-metadata.json             metadata (licence, date, columns)

The page id is the Spanish page's id, which never changes when a page is renamed or moved. The id
of a translation or alias is accepted too and redirected to the Spanish one.

What is exported (see ``budgets.summary`` for "published"): only published, public works of
published areas, read from the page rows (the live version, never a draft or a revision);
budget lines of published areas, linked to a work only when that work is published. Nothing
that the public pages do not show: no editor, owner or user, no contractor tax number or contact,
no neighbourhood council contact *person* (the council's name, phone and e-mail are the
council's public contact, shown on its page, and are exported); a work's reason for exceeding
its budget only when the work did exceed it (as on its page).

Licence: ``settings.OPEN_DATA_LICENSE`` (name and URL). JSON and GeoJSON carry it, with the date
of the data, as top-level members; a CSV carries it in ``Link: <licence>; rel="license"`` and
``X-License`` headers and in its sidecar metadata file, linked with ``rel="describedby"``.

Every export streams: rows are read with ``.values().iterator(chunk_size=…)`` and written out a
chunk at a time, so memory does not grow with the number of rows.
"""

import csv
import io
import json
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Substr
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from wagtail.models import Page, Site

from budgets import summary
from home.licence import open_data_license
from home.spreadsheets import CSV_TEXT_NOTE, inert
from home.visibility import is_restricted, restricted_paths
from languages.sources import source_page
from neighborhoods.geo import boundary_geometry
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from works.models import PublicWorkPage

CHUNK_SIZE = 2000
FLUSH_EVERY = 500  # rows written per chunk of the response


WORK_COLUMNS = [
    # (column, CSVW datatype, description)
    ("id", "integer", "Page id of the work (Spanish version); stable"),
    ("project_code", "string", "The municipality's project code"),
    ("title", "string", "Name of the work (Spanish)"),
    ("summary", "string", "What the work is (Spanish)"),
    ("url", "anyURI", "The work's public page"),
    ("submunicipality_id", "integer", "Page id of the submunicipality"),
    ("submunicipality", "string", "Name of the submunicipality"),
    ("neighborhood_id", "integer", "Page id of the neighbourhood"),
    ("neighborhood", "string", "Name of the neighbourhood"),
    ("category_code", "string", "Stable code of the category (the same in every language)"),
    ("category", "string", "Name of the category (Spanish)"),
    ("status", "string", "planned, in_progress, paused, completed or cancelled"),
    ("progress", "integer", "Physical progress, percent"),
    ("planned_start", "date", "Planned start"),
    ("planned_end", "date", "Planned end"),
    ("actual_start", "date", "Actual start"),
    ("actual_end", "date", "Actual end"),
    ("budget", "decimal", "Budget, bolivianos"),
    ("amount_executed", "decimal", "Amount executed, bolivianos"),
    ("execution_rate", "decimal", "Amount executed as a percentage of the budget"),
    ("overrun_note", "string", "Public reason for exceeding the budget (only when it was exceeded)"),
    ("contractor", "string", "Name of the contractor"),
    ("latitude", "decimal", "Latitude (WGS 84)"),
    ("longitude", "decimal", "Longitude (WGS 84)"),
    ("last_published_at", "dateTime", "When this version of the work was published"),
]

LINE_COLUMNS = [
    ("fiscal_year", "integer", "Fiscal year"),
    ("code", "string", "The line's code in the municipal budget"),
    ("area_type", "string", "barrio (neighbourhood) or subalcaldia (the whole submunicipality)"),
    ("area_id", "integer", "Page id of the area (Spanish version); stable"),
    ("area", "string", "Name of the area"),
    ("submunicipality_id", "integer", "Page id of the submunicipality"),
    ("submunicipality", "string", "Name of the submunicipality"),
    ("category_code", "string", "Stable code of the category"),
    ("category", "string", "Name of the category (Spanish)"),
    ("description", "string", "What the line pays for (Spanish)"),
    ("amount_allocated", "decimal", "Amount allocated, bolivianos"),
    ("amount_executed", "decimal", "Amount executed, bolivianos"),
    ("execution_rate", "decimal", "Amount executed as a percentage of the amount allocated"),
    ("funding_source", "string", "Funding source"),
    ("work_id", "integer", "Page id of the public work it pays for (only a published work)"),
    ("work_project_code", "string", "Project code of that work"),
    ("work_url", "anyURI", "Public page of that work"),
]

DATASETS = {
    # the (dataset, format) pairs served
    ("obras", "csv"),
    ("obras", "json"),
    ("obras", "geojson"),
    ("obras", "csv-metadata.json"),
    ("presupuesto", "csv"),
    ("presupuesto", "json"),
    ("presupuesto", "csv-metadata.json"),
    ("areas", "geojson"),
}

TITLES = {
    "obras": "Obras públicas",
    "presupuesto": "Líneas de presupuesto",
    "areas": "Límites",
}


def _iso(value):
    return value.isoformat() if value is not None else None


def _number(value):
    """Money and coordinates as JSON numbers (14 significant digits at most: exact as a double)."""
    return float(value) if value is not None else None


def _csv_value(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return inert(value)
    return str(value)


# -- Finding the area ----------------------------------------------------------------------------


class Export:
    """One download: which area, which rows, and how they are written."""

    def __init__(self, request, scope, dataset, fmt, page_id=None):
        self.request = request
        self.scope = scope
        self.dataset = dataset
        self.fmt = fmt
        self.restricted = restricted_paths()
        self.home = self._spanish_home()
        self.areas = summary.published_areas(self.home, self.restricted)
        if scope == summary.SCOPE_CITY:
            self.area = self.home
        else:
            self.area = self._area(page_id)
        self.home_url = request.build_absolute_uri(self.home.get_url(request))
        self.generated_at = timezone.now().replace(microsecond=0)

    def _spanish_home(self):
        site = Site.find_for_request(self.request) or Site.objects.get(is_default_site=True)
        home = source_page(site.root_page)
        if home is None or not home.live:
            raise Http404
        return home

    def _area(self, page_id):
        try:
            page = Page.objects.get(pk=page_id)
        except Page.DoesNotExist as error:
            raise Http404 from error
        if page.locale_id != self.home.locale_id:
            source = Page.objects.filter(translation_key=page.translation_key, locale_id=self.home.locale_id).first()
            raise Redirect(source.pk if source else None)
        area = self.areas.get(page.pk)
        if area is None or area.scope != self.scope:
            raise Http404
        return page

    @property
    def area_title(self):
        return self.area.title

    def url(self, fmt):
        return self.request.build_absolute_uri(file_url(self.scope, self.dataset, fmt, self.area.pk))

    # -- Works --

    def works(self):
        """The published works inside the area, as dicts, newest data date first computed apart."""

        neighbourhood_paths = [
            area.path
            for area in summary.areas_in(self.area, self.areas).values()
            if area.scope == summary.SCOPE_NEIGHBORHOOD
        ]
        queryset = (
            PublicWorkPage.objects.live()
            .filter(locale_id=self.home.locale_id, path__startswith=self.area.path)
            .annotate(parent_path=Substr("path", 1, len(self.home.path) + 2 * Page.steplen))
            .filter(parent_path__in=neighbourhood_paths)
        )
        for path in self.restricted:
            queryset = queryset.exclude(path__startswith=path)
        return queryset

    def works_data_date(self, queryset):
        return queryset.aggregate(latest=Max("last_published_at"))["latest"]

    def work_rows(self, queryset):
        fields = [
            "id", "path", "url_path", "title", "summary", "project_code", "category__code", "category__name",
            "status", "progress", "planned_start", "planned_end", "actual_start", "actual_end", "budget",
            "amount_executed", "overrun_note", "contractor__name", "latitude", "longitude", "last_published_at",
        ]  # fmt: skip
        rows = queryset.order_by("path").values(*fields).iterator(chunk_size=CHUNK_SIZE)
        steplen = Page.steplen
        by_path = {area.path: area for area in self.areas.values()}
        for row in rows:
            neighbourhood = by_path[row["path"][:-steplen]]
            submunicipality = by_path[row["path"][: -2 * steplen]]
            over = (
                row["budget"] is not None
                and row["amount_executed"] is not None
                and row["amount_executed"] > row["budget"]
            )
            yield {
                "id": row["id"],
                "project_code": row["project_code"],
                "title": row["title"],
                "summary": row["summary"],
                "url": summary.page_url_from_path(self.home_url, row["url_path"]),
                "submunicipality_id": submunicipality.id,
                "submunicipality": submunicipality.title,
                "neighborhood_id": neighbourhood.id,
                "neighborhood": neighbourhood.title,
                "category_code": row["category__code"],
                "category": row["category__name"],
                "status": row["status"],
                "progress": row["progress"],
                "planned_start": row["planned_start"],
                "planned_end": row["planned_end"],
                "actual_start": row["actual_start"],
                "actual_end": row["actual_end"],
                "budget": row["budget"],
                "amount_executed": row["amount_executed"],
                "execution_rate": summary.rate(row["budget"], row["amount_executed"]),
                "overrun_note": row["overrun_note"] if over else "",
                "contractor": row["contractor__name"] or "",
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "last_published_at": row["last_published_at"],
            }

    # -- Budget lines --

    def lines(self):
        queryset = summary.budget_lines(self.area, self.areas)
        year = self.request.GET.get("anio", "")
        if year.isdigit():
            queryset = queryset.filter(fiscal_year=int(year))
        return queryset

    def line_rows(self, queryset):
        fields = [
            "fiscal_year", "code", "area_id", "category__code", "category__name", "description", "amount_allocated",
            "amount_executed", "funding_source", "work_id", "work__live", "work__path", "work__url_path",
            "work__project_code",
        ]  # fmt: skip
        rows = (
            queryset.order_by("-fiscal_year", "area_id", "code", "id").values(*fields).iterator(chunk_size=CHUNK_SIZE)
        )
        steplen = Page.steplen
        by_path = {area.path: area for area in self.areas.values()}
        for row in rows:
            area = self.areas[row["area_id"]]
            submunicipality = area if area.scope == summary.SCOPE_SUBMUNICIPALITY else by_path[area.parent_path]
            work_path = row["work__path"]
            published_work = (
                row["work_id"] is not None
                and row["work__live"]
                and work_path[:-steplen] in by_path
                and not is_restricted(work_path, self.restricted)
            )
            yield {
                "fiscal_year": row["fiscal_year"],
                "code": row["code"],
                "area_type": area.scope,
                "area_id": area.id,
                "area": area.title,
                "submunicipality_id": submunicipality.id,
                "submunicipality": submunicipality.title,
                "category_code": row["category__code"],
                "category": row["category__name"],
                "description": row["description"],
                "amount_allocated": row["amount_allocated"],
                "amount_executed": row["amount_executed"],
                "execution_rate": summary.rate(row["amount_allocated"], row["amount_executed"]),
                "funding_source": row["funding_source"],
                "work_id": row["work_id"] if published_work else None,
                "work_project_code": row["work__project_code"] if published_work else "",
                "work_url": summary.page_url_from_path(self.home_url, row["work__url_path"]) if published_work else "",
            }

    # -- Metadata --

    def metadata(self, data_updated):
        return {
            "title": f"{TITLES[self.dataset]} · {self.area_title}",
            "publisher": getattr(settings, "WAGTAIL_SITE_NAME", "Mi Barrio"),
            "license": open_data_license(),
            "data_updated": _iso(data_updated),
            "generated_at": _iso(self.generated_at),
            "language": self.home.locale.language_code,
            "area": {"scope": self.scope, "id": self.area.pk, "title": self.area_title},
        }


class Redirect(Exception):
    def __init__(self, page_id):
        self.page_id = page_id


def file_url(scope, dataset, fmt, page_id=None):
    filename = f"{dataset}.{fmt}"
    if scope == summary.SCOPE_CITY:
        return reverse("opendata_city", kwargs={"filename": filename})
    return reverse("opendata_area", kwargs={"scope": scope, "page_id": page_id, "filename": filename})


# -- Writers ---------------------------------------------------------------------------------------


def stream_csv(columns, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _type, _doc in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(row[name]) for name, _type, _doc in columns])
        count += 1
        if count % FLUSH_EVERY == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _json_item(row):
    return {
        key: _number(value) if isinstance(value, Decimal) else _iso(value) if hasattr(value, "isoformat") else value
        for key, value in row.items()
    }


def stream_json_document(head, items_key, items, tail=None):
    """``head`` members, then ``items_key``: [...] written an item at a time, then ``tail`` members."""
    opening = json.dumps(head, ensure_ascii=False)[:-1]  # without the closing brace
    yield f'{opening}, "{items_key}": ['.encode()
    parts = []
    count = 0
    for item in items:
        parts.append(("," if count else "") + json.dumps(item, ensure_ascii=False))
        count += 1
        if count % FLUSH_EVERY == 0:
            yield "".join(parts).encode()
            parts = []
    closing = "]"
    if tail:
        closing += ", " + json.dumps(tail, ensure_ascii=False)[1:-1]
    yield ("".join(parts) + closing + "}").encode()


def _point_feature(row):
    properties = _json_item({key: value for key, value in row.items() if key not in ("latitude", "longitude")})
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
        "properties": properties,
    }


def _response(export, chunks, content_type, data_updated, attachment=True):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    licence = open_data_license()
    links = []
    if licence["url"]:
        links.append(f'<{licence["url"]}>; rel="license"')
    if export.fmt == "csv":
        links.append(f'<{export.url("csv-metadata.json")}>; rel="describedby"; type="application/csvm+json"')
    if links:
        response["Link"] = ", ".join(links)
    response["X-License"] = " ".join(part for part in (licence["name"], licence["url"]) if part)
    if data_updated:
        response["X-Data-Updated"] = _iso(data_updated)
    response["Access-Control-Allow-Origin"] = "*"
    if attachment:
        area = "ciudad" if export.scope == summary.SCOPE_CITY else f"{export.scope}-{export.area.pk}"
        response["Content-Disposition"] = f'attachment; filename="mibarrio-{export.dataset}-{area}.{export.fmt}"'
    return response


# -- The view ----------------------------------------------------------------------------------------


@require_safe
def download(request, filename, scope=summary.SCOPE_CITY, page_id=None):
    """Serve one open-data file (see the module docstring for the URLs)."""
    dataset, _dot, fmt = filename.partition(".")
    if (dataset, fmt) not in DATASETS:
        raise Http404
    try:
        export = Export(request, scope, dataset, fmt, page_id)
    except Redirect as redirect:
        if redirect.page_id is None:
            raise Http404 from None
        return HttpResponseRedirect(file_url(scope, dataset, fmt, redirect.page_id))

    if dataset == "obras":
        return _works(export)
    if dataset == "presupuesto":
        return _lines(export)
    return _areas(export)


def _works(export):
    queryset = export.works()
    data_updated = export.works_data_date(queryset)
    meta = export.metadata(data_updated)
    if export.fmt == "csv":
        return _response(
            export,
            stream_csv(WORK_COLUMNS, export.work_rows(queryset)),
            "text/csv; charset=utf-8; header=present",
            data_updated,
        )
    if export.fmt == "csv-metadata.json":
        return _csvw(export, WORK_COLUMNS, meta, data_updated)
    if export.fmt == "json":
        items = (_json_item(row) for row in export.work_rows(queryset))
        return _response(
            export, stream_json_document(meta, "items", items), "application/json", data_updated, attachment=False
        )
    # GeoJSON: the works that have a location, as points.
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    features = (_point_feature(row) for row in export.work_rows(located))
    return _response(
        export,
        stream_json_document({"type": "FeatureCollection", **meta}, "features", features),
        "application/geo+json",
        data_updated,
    )


def _lines(export):
    queryset = export.lines()
    # Budget lines have no publication date of their own: they are read from the database when
    # the file is made, so their date is the moment of the download.
    data_updated = export.generated_at
    meta = export.metadata(data_updated)
    if export.fmt == "csv":
        return _response(
            export,
            stream_csv(LINE_COLUMNS, export.line_rows(queryset)),
            "text/csv; charset=utf-8; header=present",
            data_updated,
        )
    if export.fmt == "csv-metadata.json":
        return _csvw(export, LINE_COLUMNS, meta, data_updated)
    items = (_json_item(row) for row in export.line_rows(queryset))
    return _response(
        export, stream_json_document(meta, "items", items), "application/json", data_updated, attachment=False
    )


def _areas(export):
    """Boundaries: the city's submunicipalities, a submunicipality's neighbourhoods, or one neighbourhood."""

    if export.scope == summary.SCOPE_CITY:
        model = SubmunicipalityPage
        ids = [area.id for area in export.areas.values() if area.scope == summary.SCOPE_SUBMUNICIPALITY]
    elif export.scope == summary.SCOPE_SUBMUNICIPALITY:
        model = NeighborhoodPage
        ids = [area.id for area in export.areas.values() if area.parent_path == export.area.path]
    else:
        model = NeighborhoodPage
        ids = [export.area.pk]
    if model is SubmunicipalityPage:
        extra = ["office_address", "opening_hours", "phone", "email"]
    else:
        extra = ["population", "center_latitude", "center_longitude", "council_name", "council_phone", "council_email"]
    queryset = model.objects.filter(pk__in=ids)
    data_updated = queryset.aggregate(latest=Max("last_published_at"))["latest"]
    meta = export.metadata(data_updated)
    scope = summary.SCOPE_SUBMUNICIPALITY if model is SubmunicipalityPage else summary.SCOPE_NEIGHBORHOOD
    request = export.request

    def features():
        rows = queryset.order_by("path").values("id", "title", "url_path", "last_published_at", "boundary", *extra)
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            boundary = row.pop("boundary")
            properties = _json_item(row)
            properties.pop("url_path")
            properties["scope"] = scope
            properties["url"] = summary.page_url_from_path(export.home_url, row["url_path"])
            properties["budget_url"] = properties["url"] + "presupuesto/"
            properties["works_url"] = request.build_absolute_uri(file_url(scope, "obras", "geojson", row["id"]))
            yield {
                "type": "Feature",
                "id": row["id"],
                "geometry": boundary_geometry(boundary),
                "properties": properties,
            }

    return _response(
        export,
        stream_json_document({"type": "FeatureCollection", **meta}, "features", features()),
        "application/geo+json",
        data_updated,
    )


def _csvw(export, columns, meta, data_updated):
    """The CSV file's sidecar: W3C "CSV on the Web" metadata (https://www.w3.org/TR/tabular-metadata/)."""
    licence = open_data_license()
    document = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": export.url("csv"),
        "dc:title": meta["title"],
        "dc:publisher": meta["publisher"],
        "dc:license": {"@id": licence["url"]} if licence["url"] else licence["name"],
        "license": licence,
        "dc:modified": _iso(data_updated),
        "data_updated": _iso(data_updated),
        "generated_at": meta["generated_at"],
        "dc:language": meta["language"],
        "dialect": {"encoding": "utf-8", "header": True, "delimiter": ","},
        "rdfs:comment": CSV_TEXT_NOTE,
        "tableSchema": {
            "columns": [
                {"name": name, "titles": name, "datatype": datatype, "dc:description": doc}
                for name, datatype, doc in columns
            ]
        },
    }
    response = _response(
        export,
        iter([json.dumps(document, ensure_ascii=False, indent=2).encode()]),
        "application/csvm+json",
        data_updated,
        attachment=False,
    )
    return response
