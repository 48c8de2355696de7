"""The demo city: a La Paz-like portal full of clearly-labelled, fictitious data.

``manage.py load_demo`` (see ``management/commands/load_demo.py``) calls ``DemoBuilder``. This
module holds both the data (pure, immutable definitions) and the functions that turn it into
published pages, snippets, images and users.

Why it is shaped like this:

- Every demo object has an identity derived from the definitions, never from the database: pages
  and snippets get a ``uuid5`` translation key, users a fixed username, images a fixed title in
  their area's collection. The builder looks each one up by that identity and only creates what
  is missing, so running it twice changes nothing (no duplicates, no new revisions).
- Nothing is random and nothing depends on today's date: dates count from ``REFERENCE_DATE``.
  Consultations are the exception: they are dated from the moment the demo is loaded, so that
  each area always has one upcoming, one open and one closed (see "Participation" below).
- Geography is a grid of rectangles: each submunicipality is a rectangle (with a gap to its
  neighbours, so none overlap), split 2×2 into its neighbourhoods, each inset in its cell so they
  sit inside the area and apart from each other. A neighbourhood's centre and its works' locations
  are fixed fractions of its rectangle, so they always fall inside it.
- Every page says it is demo data: summaries and introductions start with ``[Demo]`` and bodies
  and descriptions say "Datos de demostración". Contractors are fictitious and say so.
"""

import contextlib
import datetime
import io
import secrets
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.models import Locale, ReferenceIndex
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from budgets.models import BudgetLine
from home.models import HomePage
from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
from participation.models import (
    ConsultationFormField,
    ConsultationHearing,
    ConsultationPage,
    FeedbackFormField,
    FeedbackFormPage,
    Submission,
)
from teams.governance import ensure_translators_group, retire_stock_groups, set_up_area
from teams.models import AreaTeam
from works.models import (
    Contractor,
    PublicWorkPage,
    PublicWorkPhoto,
    PublicWorkUpdate,
    WorkCategory,
    WorkStatus,
)

# --------------------------------------------------------------------------------------------
# Identity
# --------------------------------------------------------------------------------------------

#: Namespace of every demo translation key. Never change it: it is how a second run recognises
#: the pages and snippets of the first one.
DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "demo.mibarrio.example")

DEMO_LABEL = "[Demo]"
DEMO_SENTENCE = "Datos de demostración: la información de esta página es ficticia."

#: The single password of every demo account (documented in ``load_demo --help``).
DEMO_PASSWORD = "mibarrio-demo"  # noqa: S105 - printed for the demo users, never used in production

#: Dates of works, updates and news are counted from this day, so the demo never changes.
REFERENCE_DATE = datetime.date(2026, 11, 1)

SIX_PLACES = Decimal("0.000001")
CENTS = Decimal("0.01")


def demo_key(kind, slug):
    """The translation key of the demo object ``kind``/``slug`` (the same on every run)."""
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{slug}")


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryData:
    code: str
    name: str
    description: str
    base_budget: int  # bolivianos
    duration_days: int
    titles: tuple  # templates with {barrio}
    contractor: str  # key of its usual contractor


@dataclass(frozen=True)
class ContractorData:
    key: str
    name: str
    tax_id: str
    description: str


@dataclass(frozen=True)
class AreaData:
    key: str
    name: str
    #: (west, south, east, north): longitude min, latitude min, longitude max, latitude max
    bbox: tuple
    color: tuple
    office_address: str
    description: str
    #: Neighbourhood names in grid order: north-west, north-east, south-west, south-east.
    neighborhoods: tuple
    populations: tuple


CATEGORIES = (
    CategoryData(
        "roads",
        "Vías y pavimentación",
        "Apertura, pavimentación, enlosetado y mantenimiento de calles, avenidas y gradas.",
        1_850_000,
        240,
        ("Pavimentación de calles en {barrio}", "Enlosetado y gradas peatonales de {barrio}"),
        "illimani",
    ),
    CategoryData(
        "water-sanitation",
        "Agua y saneamiento",
        "Redes de agua potable, alcantarillado sanitario y pluvial, embovedado de ríos.",
        1_250_000,
        300,
        ("Ampliación del alcantarillado pluvial de {barrio}", "Renovación de la red de agua potable de {barrio}"),
        "choqueyapu",
    ),
    CategoryData(
        "parks",
        "Parques y áreas verdes",
        "Parques, plazas, miradores, jardines y arbolado urbano.",
        420_000,
        150,
        ("Mejoramiento de la plaza principal de {barrio}", "Mirador y área verde de {barrio}"),
        "verde-altura",
    ),
    CategoryData(
        "health",
        "Salud",
        "Centros de salud de primer nivel y equipamiento sanitario del municipio.",
        3_600_000,
        420,
        ("Construcción del centro de salud de {barrio}", "Ampliación del centro de salud de {barrio}"),
        "chacaltaya",
    ),
    CategoryData(
        "education",
        "Educación",
        "Construcción y refacción de unidades educativas fiscales, baterías sanitarias y patios.",
        2_400_000,
        360,
        ("Refacción de la unidad educativa de {barrio}", "Nuevas aulas para la unidad educativa de {barrio}"),
        "chacaltaya",
    ),
    CategoryData(
        "lighting",
        "Alumbrado público",
        "Luminarias LED, postes y tendido eléctrico en calles, plazas y gradas.",
        260_000,
        90,
        ("Alumbrado público LED en {barrio}", "Iluminación de gradas y pasajes de {barrio}"),
        "andina",
    ),
    CategoryData(
        "sports",
        "Deportes",
        "Canchas, coliseos y espacios deportivos de barrio.",
        680_000,
        180,
        ("Cancha de césped sintético de {barrio}", "Refacción del coliseo deportivo de {barrio}"),
        "illimani",
    ),
    CategoryData(
        "risk-management",
        "Gestión de riesgos",
        "Muros de contención, drenajes y estabilización de laderas.",
        950_000,
        210,
        ("Muro de contención en la ladera de {barrio}", "Estabilización de taludes en {barrio}"),
        "huayna",
    ),
)

CONTRACTORS = (
    ContractorData(
        "illimani",
        "Constructora Illimani Demo S.R.L.",
        "DEMO-0001",
        "Empresa ficticia de la demostración: vías, gradas y obras deportivas.",
    ),
    ContractorData(
        "choqueyapu",
        "Ingeniería Choqueyapu Demo S.A.",
        "DEMO-0002",
        "Empresa ficticia de la demostración: agua potable y alcantarillado.",
    ),
    ContractorData(
        "verde-altura",
        "Verde Altura Paisajismo Demo S.R.L.",
        "DEMO-0003",
        "Empresa ficticia de la demostración: parques y áreas verdes.",
    ),
    ContractorData(
        "chacaltaya",
        "Estructuras Chacaltaya Demo S.A.",
        "DEMO-0004",
        "Empresa ficticia de la demostración: edificios de salud y educación.",
    ),
    ContractorData(
        "andina",
        "Iluminación Andina Demo Ltda.",
        "DEMO-0005",
        "Empresa ficticia de la demostración: alumbrado público.",
    ),
    ContractorData(
        "huayna",
        "Cooperativa de Obras Huayna Demo",
        "DEMO-0006",
        "Cooperativa ficticia de la demostración: muros de contención y drenajes.",
    ),
)

# Rectangles placed roughly where the real macrodistritos are, with gaps between them so they
# never overlap: Periférica to the north, Max Paredes to the north-west, Cotahuma to the west,
# Centro in the middle and Sur down the valley to the south-east.
AREAS = (
    AreaData(
        "centro",
        "Centro",
        (-68.138, -16.515, -68.112, -16.490),
        (31, 94, 160),
        "Calle Mercado esquina Ayacucho (dirección ficticia de la demostración)",
        "el casco histórico y los barrios que lo rodean",
        ("San Sebastián", "Casco Urbano Central", "Sopocachi", "Miraflores"),
        (18_500, 24_000, 41_000, 37_500),
    ),
    AreaData(
        "cotahuma",
        "Cotahuma",
        (-68.162, -16.540, -68.140, -16.503),
        (176, 86, 44),
        "Avenida Tumusla esquina Tembladerani (dirección ficticia de la demostración)",
        "las laderas del oeste, entre el centro y Llojeta",
        ("Tembladerani", "San Pedro", "Pasankeri", "Llojeta"),
        (29_000, 33_500, 15_000, 21_000),
    ),
    AreaData(
        "max-paredes",
        "Max Paredes",
        (-68.165, -16.500, -68.142, -16.470),
        (122, 62, 140),
        "Avenida Buenos Aires esquina Max Paredes (dirección ficticia de la demostración)",
        "los barrios comerciales y populares del noroeste",
        ("Munaypata", "El Tejar", "Villa Victoria", "Gran Poder"),
        (27_000, 31_000, 22_500, 19_000),
    ),
    AreaData(
        "sur",
        "Sur",
        (-68.105, -16.575, -68.060, -16.525),
        (38, 128, 74),
        "Calle 21 de Calacoto (dirección ficticia de la demostración)",
        "la zona sur, valle abajo del río Choqueyapu",
        ("Obrajes", "Irpavi", "Calacoto", "Achumani"),
        (26_000, 30_500, 23_000, 35_000),
    ),
    AreaData(
        "periferica",
        "Periférica",
        (-68.135, -16.487, -68.105, -16.455),
        (196, 140, 24),
        "Avenida Tejada Sorzano, Villa Fátima (dirección ficticia de la demostración)",
        "las laderas del norte, hacia Achachicala y Villa Fátima",
        ("Achachicala", "Villa Fátima", "Vino Tinto", "Villa Pabón"),
        (14_000, 39_000, 17_500, 28_000),
    ),
)

STATUS_ORDER = (
    WorkStatus.PLANNED,
    WorkStatus.IN_PROGRESS,
    WorkStatus.PAUSED,
    WorkStatus.COMPLETED,
    WorkStatus.CANCELLED,
)
WORKS_PER_NEIGHBORHOOD = 3

PAUSE_REASONS = (
    "la temporada de lluvias, que inestabilizó el terreno",
    "la revisión del diseño técnico solicitada por la supervisión",
    "un reclamo vecinal sobre el trazado, en conciliación",
)
CANCEL_REASONS = (
    "la junta vecinal priorizó otra obra en la planificación participativa",
    "el estudio de suelos desaconsejó construir en ese terreno",
    "la licitación se declaró desierta dos veces",
)

#: Where, as fractions of its neighbourhood's rectangle (from the west and from the south), each
#: of a neighbourhood's works is.
WORK_SPOTS = ((0.25, 0.30), (0.70, 0.45), (0.45, 0.75))

# Budget lines: three fiscal years per neighbourhood and per submunicipality. A work's cost is
# spread over the years (its share of the budget each year); the current year is still running.
BUDGET_YEARS = (2024, 2025, 2026)
WORK_SHARE_BY_YEAR = {2024: Decimal("0.2"), 2025: Decimal("0.3"), 2026: Decimal("0.5")}
EXECUTION_BY_YEAR = {2024: Decimal("0.98"), 2025: Decimal("0.91"), 2026: Decimal("0.46")}
UPKEEP_LINES = (
    # (category code, description, base allocation in bolivianos)
    ("lighting", "Mantenimiento del alumbrado público", 85000),
    ("parks", "Mantenimiento de áreas verdes y plazas", 120000),
)
AREA_LINES = (
    ("risk-management", "Fondo de emergencias y gestión de riesgos del macrodistrito", 450000),
    ("roads", "Bacheo y mantenimiento vial del macrodistrito", 900000),
)

#: The handful of generated images of each area: (slug, label).
AREA_IMAGES = (
    ("panorama", "Vista del macrodistrito"),
    ("barrio", "Vida de barrio"),
    ("obra-en-curso", "Obra en curso"),
    ("obra-concluida", "Obra concluida"),
)


# --------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------


def _round(value):
    return round(value, 6)


def polygon(bbox):
    """A closed GeoJSON Polygon (longitude first, counter-clockwise) for the rectangle ``bbox``."""
    west, south, east, north = (_round(v) for v in bbox)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def neighborhood_bboxes(area_bbox, inset=0.06):
    """The four neighbourhood rectangles of an area: a 2×2 grid, each cell inset on every side.

    Order: north-west, north-east, south-west, south-east.
    """
    west, south, east, north = area_bbox
    width, height = (east - west) / 2, (north - south) / 2
    dx, dy = width * inset, height * inset
    cells = []
    for row in (1, 0):  # north row first
        for column in (0, 1):
            cell_west = west + column * width
            cell_south = south + row * height
            cells.append(
                tuple(
                    _round(v)
                    for v in (cell_west + dx, cell_south + dy, cell_west + width - dx, cell_south + height - dy)
                )
            )
    return cells


def point_in(bbox, from_west, from_south):
    """(latitude, longitude) as Decimals at the given fractions of the rectangle ``bbox``."""
    west, south, east, north = bbox
    longitude = Decimal(str(west + (east - west) * from_west)).quantize(SIX_PLACES, ROUND_HALF_UP)
    latitude = Decimal(str(south + (north - south) * from_south)).quantize(SIX_PLACES, ROUND_HALF_UP)
    return latitude, longitude


# --------------------------------------------------------------------------------------------
# Works: what each one is, derived from its position in the city
# --------------------------------------------------------------------------------------------


@dataclass
class WorkPlan:
    """Everything about one demo work, computed from its number; no database involved."""

    number: int  # 0-based, over the whole city
    barrio: str
    category: CategoryData
    status: str
    title: str = ""
    project_code: str = ""
    fields: dict = field(default_factory=dict)
    updates: list = field(default_factory=list)  # (date, text, image slug or None)
    photos: list = field(default_factory=list)  # (image slug, caption)


def _money(value):
    return Decimal(value).quantize(CENTS, ROUND_HALF_UP)


def plan_work(number, barrio):
    """Plan demo work ``number`` in ``barrio``: title, status, money, dates, progress, timeline."""
    category = CATEGORIES[number % len(CATEGORIES)]
    status = STATUS_ORDER[number % len(STATUS_ORDER)]
    variant = number // len(STATUS_ORDER)
    plan = WorkPlan(number=number, barrio=barrio, category=category, status=status)
    plan.title = category.titles[variant % len(category.titles)].format(barrio=barrio)
    plan.project_code = f"DEMO-OB-{number + 1:03d}"

    budget = _money(
        Decimal(category.base_budget) * (1 + Decimal((number * 37) % 60) / 100) + Decimal(number % 97) / 100
    )
    duration = datetime.timedelta(days=category.duration_days + 15 * (number % 4))
    today = REFERENCE_DATE
    reason_index = variant % 3
    description = [f"<p>{DEMO_SENTENCE}</p>", f"<p>{category.description}</p>"]
    fields = {
        "budget": budget,
        "amount_executed": Decimal("0.00"),
        "progress": 0,
        "contractor_key": category.contractor,
    }

    if status == WorkStatus.PLANNED:
        start = today + datetime.timedelta(days=45 + 20 * (number % 6))
        fields.update(planned_start=start, planned_end=start + duration, contractor_key=None)
        summary = "Obra aprobada en la planificación participativa; en proceso de licitación."
        plan.updates = [
            (
                today - datetime.timedelta(days=30),
                "Proyecto aprobado en la planificación participativa del barrio.",
                None,
            ),
            (today - datetime.timedelta(days=8), "Se publicó la convocatoria de licitación.", None),
        ]
    elif status == WorkStatus.IN_PROGRESS:
        start = today - datetime.timedelta(days=60 + 11 * (number % 9))
        progress = 20 + (number * 13) % 60
        fields.update(
            planned_start=start,
            planned_end=start + duration,
            actual_start=start + datetime.timedelta(days=7),
            progress=progress,
            amount_executed=_money(budget * progress / 100 * Decimal("0.95")),
        )
        summary = f"Obra en ejecución, con un avance físico del {progress} %."
        plan.updates = [
            (start + datetime.timedelta(days=7), "Inicio de obra con la instalación de faenas.", None),
            (
                today - datetime.timedelta(days=10),
                f"Avance físico del {progress} % según la supervisión.",
                "obra-en-curso",
            ),
        ]
        plan.photos = [("obra-en-curso", "Trabajos en curso (imagen generada para la demostración)")]
    elif status == WorkStatus.PAUSED:
        start = today - datetime.timedelta(days=150 + 13 * (number % 7))
        progress = 30 + (number * 7) % 30
        reason = PAUSE_REASONS[reason_index]
        fields.update(
            planned_start=start,
            planned_end=start + duration,
            actual_start=start,
            progress=progress,
            amount_executed=_money(budget * progress / 100),
        )
        summary = f"Obra paralizada al {progress} % por {reason}."
        plan.updates = [
            (start, "Inicio de obra.", None),
            (start + datetime.timedelta(days=60), f"Avance físico del {progress} %.", "obra-en-curso"),
            (today - datetime.timedelta(days=20), f"Obra paralizada por {reason}.", None),
        ]
        plan.photos = [("obra-en-curso", "Estado de la obra al paralizarse (imagen generada para la demostración)")]
    elif status == WorkStatus.COMPLETED:
        delay = datetime.timedelta(days=10 * (number % 5))
        start = today - duration - delay - datetime.timedelta(days=40 + 17 * (number % 8))
        actual_end = start + duration + delay
        overrun = variant == 0  # the first completed work shows how an overrun is explained
        executed = budget * (Decimal("1.06") if overrun else Decimal("0.97") - Decimal(number % 5) / 100)
        fields.update(
            planned_start=start,
            planned_end=start + duration,
            actual_start=start,
            actual_end=actual_end,
            progress=100,
            amount_executed=_money(executed),
        )
        if overrun:
            fields["overrun_note"] = (
                "Se aprobó un contrato modificatorio por obras adicionales de drenaje pedidas por la junta vecinal."
            )
        summary = f"Obra concluida y entregada a los vecinos el {actual_end:%d/%m/%Y}."
        plan.updates = [
            (start, "Inicio de obra.", None),
            (start + duration / 2, "Avance físico del 50 %.", "obra-en-curso"),
            (actual_end, "Entrega de la obra a la junta vecinal.", "obra-concluida"),
        ]
        plan.photos = [
            ("obra-en-curso", "Durante la obra (imagen generada para la demostración)"),
            ("obra-concluida", "Obra concluida (imagen generada para la demostración)"),
        ]
    else:  # cancelled
        start = today - datetime.timedelta(days=200 + 9 * (number % 10))
        reason = CANCEL_REASONS[reason_index]
        started = variant % 2 == 1
        fields.update(planned_start=start, planned_end=start + duration)
        if started:
            fields.update(actual_start=start, progress=10, amount_executed=_money(budget * Decimal("0.08")))
        else:
            fields["contractor_key"] = None
        summary = f"Obra cancelada porque {reason}."
        plan.updates = [
            (start - datetime.timedelta(days=30), "Proyecto aprobado en la planificación participativa.", None),
            (start + datetime.timedelta(days=45), f"Cancelación de la obra: {reason}.", None),
        ]

    fields["summary"] = f"{DEMO_LABEL} {summary}"
    fields["description"] = "".join(description)
    fields["status"] = status
    plan.fields = fields
    return plan


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", size), True
    except OSError:
        return ImageFont.load_default(size=size), False


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_png(title, subtitle, color, size=(640, 360)):
    """A simple PNG: a coloured background, a darker band, the label and a demo notice."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    width, height = size
    darker = tuple(max(0, c - 50) for c in color)
    draw.rectangle([0, height * 2 // 3, width, height], fill=darker)
    for step in range(0, width, 80):  # a few hills, so it looks like a picture
        draw.polygon([(step, height * 2 // 3), (step + 40, height // 2), (step + 80, height * 2 // 3)], fill=darker)
    big, unicode_ok = _font(44)
    small, _ = _font(22)
    lines = [(title, big, 40), (subtitle, small, 110), ("Datos de demostración · Mi Barrio", small, height - 50)]
    for text, font, top in lines:
        draw.text((32, top), text if unicode_ok else _ascii(text), font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    created: bool


def admin_username():
    return "demo-admin"


def editor_username(area):
    return f"demo-editor-{area.key}"


def reviewer_username(area):
    return f"demo-revisor-{area.key}"


def translator_username():
    return "demo-traductor"


# --------------------------------------------------------------------------------------------
# What is and is not demo content
# --------------------------------------------------------------------------------------------


def demo_page_keys():
    """The translation keys of every submunicipality, neighbourhood and work of the demo."""
    keys = set()
    number = 0
    for area in AREAS:
        keys.add(demo_key("area", area.key))
        for barrio in area.neighborhoods:
            keys.add(demo_key("neighborhood", slugify(barrio)))
            for _ in range(WORKS_PER_NEIGHBORHOOD):
                keys.add(demo_key("work", plan_work(number, barrio).project_code))
                number += 1
    return keys


def non_demo_places(examples=3):
    """How many submunicipalities, neighbourhoods and works (any language) are not part of the
    demo, and the titles of the first few of them."""
    keys = demo_page_keys()
    total, titles = 0, []
    for model in (SubmunicipalityPage, NeighborhoodPage, PublicWorkPage):
        real = model.objects.exclude(translation_key__in=keys)
        total += real.count()
        titles += real.order_by("path").values_list("title", flat=True)[: max(0, examples - len(titles))]
    return total, titles


# --------------------------------------------------------------------------------------------
# Participation: consultations, feedback forms and what residents sent
# --------------------------------------------------------------------------------------------
#
# Unlike works and news, consultations are dated from the moment the demo is loaded, so that
# each area has one that is upcoming, open and closed when you look at it (they drift with
# time like real ones: load the demo again on a fresh database to reset them). Their answers
# are created only with the form (a second run adds none). Free-text answers of residents who
# answered in Aymara or Quechua are left empty: the demo never invents text in those languages;
# their choice answers are stored, as always, in the original's (Spanish) wording.

PERSONAL_DATA_NOTICE = (
    "Pedimos su nombre y teléfono solo para responderle si lo desea. Son opcionales y se borran "
    "a los 180 días. (Datos de demostración.)"
)


@dataclass(frozen=True)
class ConsultationData:
    key: str  # unique within its area
    status: str  # "upcoming", "open" or "closed"
    in_neighborhood: int | None  # index of the neighbourhood it belongs to; None: the area itself
    title: str  # templates with {area} and {barrio}
    question: str
    context: str
    priorities: tuple  # the options of the single-choice question
    opens_days: int  # days from now (negative: in the past)
    closes_days: int
    hearing_days: tuple = ()  # days from now of its hearings, at 18:30
    answers: int = 0
    results: str = ""
    response: str = ""


CONSULTATIONS = (
    ConsultationData(
        "presupuesto-2027",
        "upcoming",
        None,
        "Presupuesto participativo 2027 de {area}",
        "¿Qué obras deberían priorizarse en {area} el próximo año?",
        "La subalcaldía reparte el presupuesto de inversión de 2027 entre los barrios. Antes de "
        "decidir, queremos saber qué obras consideran más urgentes.",
        ("Vías y gradas", "Agua y alcantarillado", "Salud y educación", "Parques y deportes"),
        opens_days=12,
        closes_days=45,
        hearing_days=(20,),
    ),
    ConsultationData(
        "plaza",
        "open",
        0,
        "Mejoramiento de la plaza de {barrio}",
        "¿Qué necesita la plaza de {barrio}?",
        "La junta vecinal pidió mejorar la plaza. Hay presupuesto para una de estas propuestas.",
        ("Juegos infantiles", "Bancas y sombra", "Iluminación", "Cancha multiuso"),
        opens_days=-9,
        closes_days=21,
        hearing_days=(-3, 6),
        answers=8,
    ),
    ConsultationData(
        "seguridad-vial",
        "closed",
        1,
        "Seguridad vial en {barrio}",
        "¿Dónde hacen falta pasos de cebra, reductores o semáforos en {barrio}?",
        "Hubo accidentes cerca de la unidad educativa. Preguntamos a los vecinos dónde actuar primero.",
        ("Pasos de cebra", "Reductores de velocidad", "Semáforo peatonal", "Más control de tránsito"),
        opens_days=-95,
        closes_days=-35,
        hearing_days=(-60,),
        answers=10,
        results=(
            "<p>Recibimos {count} respuestas por la web, en papel, por teléfono y en la audiencia "
            "ciudadana. La mayoría pidió pasos de cebra y reductores de velocidad frente a la unidad "
            "educativa.</p>"
        ),
        response=(
            "<p>Lo que escuchamos: el cruce frente a la escuela es peligroso a la hora de entrada. "
            "Lo que haremos: pintar pasos de cebra y colocar dos reductores de velocidad antes de "
            "fin de año, y pedir control de tránsito a la hora de entrada.</p>"
        ),
    ),
)

#: The questions of every demo consultation: (key, label, type, choices, required, personal).
#: ``{priorities}`` is replaced by the consultation's own options.
CONSULTATION_QUESTIONS = (
    ("prioridad", "¿Qué es lo más importante para usted?", "radio", "{priorities}", True, False),
    ("opinion", "Su opinión o propuesta", "multiline", "", False, False),
    ("zona", "¿En qué calle o zona vive?", "singleline", "", False, False),
    (
        "temas",
        "¿Qué otros temas le preocupan?",
        "checkboxes",
        "Agua\nAlumbrado\nSeguridad\nTransporte\nÁreas verdes",
        False,
        False,
    ),
    ("personas_hogar", "¿Cuántas personas viven en su hogar?", "number", "", False, False),
    ("fecha_preferida", "¿Qué día le conviene para una reunión vecinal?", "date", "", False, False),
    ("nombre", "Su nombre (opcional)", "singleline", "", False, True),
    ("telefono", "Su teléfono (opcional)", "singleline", "", False, True),
)

FEEDBACK_QUESTIONS = (
    ("valoracion", "¿Cómo valora lo que ve en esta página?", "radio", "Muy bien\nBien\nRegular\nMal", True, False),
    ("comentario", "Su comentario", "multiline", "", False, False),
    ("nombre", "Su nombre (opcional)", "singleline", "", False, True),
    ("telefono", "Su teléfono (opcional)", "singleline", "", False, True),
)
FEEDBACK_ANSWERS = 5

#: How the n-th answer of a form arrived and in which language (cycled). Answers that did not
#: come through the web were typed in by the area's editor.
ANSWER_WAYS = (
    ("web", "es"),
    ("web", "ay"),
    ("paper", "es"),
    ("phone", "qu"),
    ("web", "en"),
    ("hearing", "es"),
    ("web", "qu"),
    ("paper", "ay"),
)
OPINIONS_ES = (
    "Es urgente, los vecinos lo pedimos hace años.",
    "Estoy de acuerdo, pero que avisen antes de empezar.",
    "Prefiero que se mejore primero lo que ya existe.",
    "Que participen las juntas vecinales en el control.",
)
OPINIONS_EN = ("Good idea, please keep us informed.",)
PEOPLE = ("Juana Mamani (ficticia)", "Pedro Quispe (ficticio)", "Rosa Condori (ficticia)")


def answer_data(questions, priorities, n):
    """The n-th demo answer to a form with ``questions``: deterministic, in the resident's language."""
    channel, language = ANSWER_WAYS[n % len(ANSWER_WAYS)]
    text = {"es": OPINIONS_ES[n % len(OPINIONS_ES)], "en": OPINIONS_EN[0]}.get(language, "")
    data = {}
    for name, _label, field_type, _choices, _required, personal in questions:
        if personal:
            if n % 3 == 0:  # one in three leaves a name and phone, with consent
                data[name] = PEOPLE[n % len(PEOPLE)] if name == "nombre" else f"7000{n:04d}"
                data["consent"] = True
            else:
                data[name] = ""
        elif field_type == "radio":
            data[name] = priorities[(n * 3) % len(priorities)]
        elif field_type == "checkboxes":
            data[name] = ["Agua", "Seguridad"] if n % 2 else ["Alumbrado"]
        elif field_type == "number":
            data[name] = str(2 + n % 5)
        elif field_type == "date":
            data[name] = (REFERENCE_DATE + datetime.timedelta(days=40 + n)).isoformat()
        elif field_type == "multiline":
            data[name] = text
        else:
            data[name] = "" if language in ("ay", "qu") else f"Calle {n + 1} (ficticia)"
    return channel, language, data


class ParticipationDemo:
    """The consultations, feedback forms and submissions of the demo (mixed into DemoBuilder)."""

    def _form_fields(self, model, key, questions, priorities=()):
        return [
            model(
                translation_key=demo_key("form-field", f"{key}-{name}"),
                locale=self.locale,
                clean_name=name,
                label=label,
                field_type=field_type,
                choices=choices.format(priorities="\n".join(priorities)),
                required=required,
                personal_data=personal,
            )
            for name, label, field_type, choices, required, personal in questions
        ]

    def _feedback_form(self, area_page, area):
        key = demo_key("feedback-form", area.key)
        page = self._existing(FeedbackFormPage, key)
        if page is not None:
            self.report.count("feedback forms", False)
            return page
        page = FeedbackFormPage(
            translation_key=key,
            title=f"Su opinión sobre las obras y los barrios de {area.name}",
            slug="su-opinion",
            intro=f"{DEMO_LABEL} Cuéntenos qué le parece esta obra, noticia o barrio. {DEMO_SENTENCE}",
            form_fields=self._form_fields(FeedbackFormField, f"feedback-{area.key}", FEEDBACK_QUESTIONS),
            personal_data_notice=PERSONAL_DATA_NOTICE,
            thank_you_text="<p>Gracias: el equipo de la subalcaldía lee cada comentario.</p>",
            to_address=f"{area.key}@mibarrio.example",
            subject="Nuevo comentario de un vecino",
        )
        return self._publish(area_page, page, "feedback forms")

    def _show_feedback_form(self, page, form):
        """Choose ``form`` on an existing demo page that has none yet (a demo loaded before
        feedback forms existed), with a published revision."""
        if form is None or page.feedback_form_id is not None:
            return
        page.feedback_form = form
        page.save_revision(user=self.admin, clean=False).publish(user=self.admin)

    def _participation(self, area_page, area, area_number, feedback, editor):
        now = timezone.now()
        barrios = [
            self._existing(NeighborhoodPage, demo_key("neighborhood", slugify(barrio))) for barrio in area.neighborhoods
        ]
        for data in CONSULTATIONS:
            parent = area_page if data.in_neighborhood is None else barrios[data.in_neighborhood]
            self._consultation(parent, area, data, now, editor)
        if not Submission.objects.filter(page=feedback).exists():
            about = list(PublicWorkPage.objects.filter(feedback_form=feedback).order_by("path"))
            about += list(NeighborhoodPage.objects.filter(feedback_form=feedback))
            answers = [
                answer_data(FEEDBACK_QUESTIONS, ("Muy bien", "Bien", "Regular", "Mal"), n + area_number)
                for n in range(FEEDBACK_ANSWERS)
            ]
            moments = [now - datetime.timedelta(days=2 + 3 * n, hours=n) for n in range(FEEDBACK_ANSWERS)]
            self._submissions(feedback, answers, moments, editor, about=about)

    def _consultation(self, parent, area, data, now, editor):
        barrio = parent.title
        key = demo_key("consultation", f"{area.key}-{data.key}")
        page = self._existing(ConsultationPage, key)
        if page is not None:
            self.report.count("consultations", False)
            return page
        opens_at = (now + datetime.timedelta(days=data.opens_days)).replace(hour=8, minute=0, second=0, microsecond=0)
        closes_at = (now + datetime.timedelta(days=data.closes_days)).replace(
            hour=23, minute=59, second=0, microsecond=0
        )
        answers = [answer_data(CONSULTATION_QUESTIONS, data.priorities, n) for n in range(data.answers)]
        page = ConsultationPage(
            translation_key=key,
            title=data.title.format(area=area.name, barrio=barrio),
            question=data.question.format(area=area.name, barrio=barrio),
            context=f"<p>{DEMO_SENTENCE}</p><p>{data.context}</p>",
            opens_at=opens_at,
            closes_at=closes_at,
            form_fields=self._form_fields(
                ConsultationFormField, f"{area.key}-{data.key}", CONSULTATION_QUESTIONS, data.priorities
            ),
            hearings=[
                ConsultationHearing(
                    translation_key=demo_key("hearing", f"{area.key}-{data.key}-{n}"),
                    locale=self.locale,
                    starts_at=timezone.localtime(now + datetime.timedelta(days=days)).replace(
                        hour=18, minute=30, second=0, microsecond=0
                    ),
                    place=(
                        f"Sede de la Subalcaldía {area.name}"
                        if data.in_neighborhood is None
                        else f"Junta Vecinal de {barrio}"
                    ),
                    address=area.office_address,
                )
                for n, days in enumerate(data.hearing_days)
            ],
            results_summary=data.results.format(count=len(answers)),
            response=data.response,
            personal_data_notice=PERSONAL_DATA_NOTICE,
            thank_you_text="<p>Gracias por participar. Publicaremos los resultados al cerrar la consulta.</p>",
            to_address=f"{area.key}@mibarrio.example",
            subject="Nueva respuesta a una consulta",
        )
        self._publish(parent, page, "consultations")
        if answers:
            span = min(closes_at, now) - opens_at
            moments = [opens_at + span * (n + 1) / (len(answers) + 1) for n in range(len(answers))]
            self._submissions(page, answers, moments, editor)
        return page

    def _submissions(self, page, answers, moments, editor, about=()):
        submissions = [
            Submission(
                page=page,
                form_data=data,
                language=language,
                channel=channel,
                recorded_by=None if channel == "web" else editor,
                about_page=about[n % len(about)] if about else None,
            )
            for n, (channel, language, data) in enumerate(answers)
        ]
        Submission.objects.bulk_create(submissions)
        for submission, moment in zip(submissions, moments, strict=True):
            submission.submit_time = moment  # auto_now_add set "now" on creation
        Submission.objects.bulk_update(submissions, ["submit_time"])
        self.report.created["submissions"] += len(submissions)


# --------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    logins: list = field(default_factory=list)

    def count(self, kind, created):
        (self.created if created else self.existing)[kind] += 1


class DemoBuilder(ParticipationDemo):
    """Create, in the default language, whatever part of the demo city is missing.

    ``log`` receives a line of progress per submunicipality.
    """

    def __init__(self, log=None, random_passwords=False):
        self.log = log or (lambda line: None)
        self.random_passwords = random_passwords
        self.report = DemoReport()
        self.locale = Locale.get_default()
        self.admin = None
        self.categories = {}
        self.contractors = {}
        self._password_hash = None

    # ---- entry point -----------------------------------------------------------------------

    @transaction.atomic
    def build(self):
        home = HomePage.objects.filter(locale=self.locale).order_by("path").first()
        if home is None:
            raise LookupError(
                f"There is no home page in the default language ({self.locale.language_code}): run migrate first."
            )
        self.admin = self._user(admin_username(), "administrator (superuser)", superuser=True)
        retire_stock_groups()
        translators = ensure_translators_group()
        translator = self._user(translator_username(), "translator (Traductores group)")
        translator.groups.add(translators)
        for data in CATEGORIES:
            self.categories[data.code] = self._category(data)
        for data in CONTRACTORS:
            self.contractors[data.key] = self._contractor(data)

        number = 0
        for area_number, area in enumerate(AREAS):
            before = sum(self.report.created.values())
            number = self._area(home, area, area_number, number)
            created = sum(self.report.created.values()) - before
            self.log(
                f"  {area.name}: {len(area.neighborhoods)} neighbourhoods, "
                f"{len(area.neighborhoods) * WORKS_PER_NEIGHBORHOOD} works, news, images and users "
                f"({created} created now)"
            )
        return self.report

    # ---- snippets and users ----------------------------------------------------------------

    def _category(self, data):
        # A category is a shared vocabulary: reuse one with the same code if it exists.
        category = WorkCategory.objects.filter(code=data.code, locale=self.locale).first()
        if category is not None:
            self.report.count("categories", False)
            return category
        category = WorkCategory(
            translation_key=demo_key("category", data.code),
            locale=self.locale,
            code=data.code,
            name=data.name,
            description=data.description,
        )
        category.full_clean()
        category.save()
        self.report.count("categories", True)
        return category

    def _contractor(self, data):
        key = demo_key("contractor", data.key)
        contractor = Contractor.objects.filter(translation_key=key, locale=self.locale).first()
        if contractor is not None:
            self.report.count("contractors", False)
            return contractor
        contractor = Contractor(
            translation_key=key,
            locale=self.locale,
            name=data.name,
            tax_id=data.tax_id,
            phone="+591 2 000 00" + data.tax_id[-2:],
            email=f"contacto@{data.key}.example",
            website=f"https://{data.key}.example",
            description=f"{DEMO_LABEL} {data.description}",
        )
        contractor.full_clean()
        contractor.save()
        self.report.count("contractors", True)
        return contractor

    def _user(self, username, role, superuser=False):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        password = DEMO_PASSWORD
        if created:
            if self.random_passwords:
                password = secrets.token_urlsafe(12)
                password_hash = make_password(password)
            else:
                # Hashing is slow on purpose (about half a second each in production settings):
                # hash the shared demo password once and give every account that hash.
                if self._password_hash is None:
                    self._password_hash = make_password(DEMO_PASSWORD)
                password_hash = self._password_hash
            user = User(
                username=username,
                email=f"{username}@mibarrio.example",
                password=password_hash,
                first_name="Demo",
                last_name=username.removeprefix("demo-").replace("-", " ").title(),
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.full_clean()
            user.save()
        self.report.count("users", created)
        shown = password if created or not self.random_passwords else "(unchanged)"
        self.report.logins.append(Login(username, shown, role, created))
        return user

    # ---- images -----------------------------------------------------------------------------

    def _images(self, area, collection):
        Image = get_image_model()
        images = {}
        for slug, label in AREA_IMAGES:
            title = f"{DEMO_LABEL} {area.name} — {label}"
            image = Image.objects.filter(title=title, collection=collection).first()
            if image is None:
                data = make_png(area.name, label, area.color)
                # The alt text residents' screen readers read: what the (generated) picture shows.
                description = f"Imagen de muestra: un rectángulo de color con el texto «{area.name} — {label}»"
                image = Image(title=title, description=description, collection=collection, uploaded_by_user=self.admin)
                image.file = ImageFile(io.BytesIO(data), name=f"demo-{area.key}-{slug}.png")
                image.file_size = len(data)
                image.file_hash = hash_filelike(io.BytesIO(data))
                image.save()
                self.report.count("images", True)
            else:
                self.report.count("images", False)
            images[slug] = image
        return images

    # ---- pages ------------------------------------------------------------------------------

    def _existing(self, model, key):
        return model.objects.filter(translation_key=key, locale=self.locale).first()

    @staticmethod
    def _free_slug(parent, slug):
        """``slug``, or ``slug-demo`` when real content (added with --force) already uses it."""
        candidate, n = slug, 1
        while parent.get_children().filter(slug=candidate).exists():
            candidate = f"{slug}-demo" if n == 1 else f"{slug}-demo-{n}"
            n += 1
        return candidate

    def _publish(self, parent, page, kind, before_publish=None):
        """Add ``page`` under ``parent``, prove it valid, then publish it like an editor would."""
        page.locale = self.locale
        page.slug = self._free_slug(parent, page.slug or slugify(page.title))
        page.live = False  # a draft until its first revision is published, as in the admin
        # Each save would refresh the page's entries in the reference index (three saves per
        # page); index it once at the end instead. Not for a submunicipality: creating it sets up
        # the area's team, whose objects must be indexed as they are saved.
        defer = not isinstance(page, SubmunicipalityPage)
        with disable_reference_index_auto_update() if defer else contextlib.nullcontext():
            parent.add_child(instance=page)
        if before_publish is not None:
            before_publish(page)
        page.full_clean()  # proves the demo valid; the revision below needs no second check
        with disable_reference_index_auto_update():
            page.save_revision(user=self.admin, clean=False).publish(user=self.admin)
        ReferenceIndex.create_or_update_for_object(page)
        self.report.count(kind, True)
        return page

    def _area(self, home, area, area_number, number):
        key = demo_key("area", area.key)
        page = self._existing(SubmunicipalityPage, key)
        holder = {}

        def attach_image(page):
            # The area's team (and collection) exists once the page does: see governance.
            holder["team"] = AreaTeam.objects.filter(translation_key=key).first() or set_up_area(page)
            holder["images"] = self._images(area, holder["team"].collection)
            page.image = holder["images"]["panorama"]

        if page is None:
            page = SubmunicipalityPage(
                translation_key=key,
                title=area.name,
                slug=slugify(area.name),
                summary=(
                    f"{DEMO_LABEL} Macrodistrito {area.name}: {area.description}. "
                    f"Subalcaldía ficticia creada para la demostración del portal."
                ),
                office_address=area.office_address,
                opening_hours="Lunes a viernes, 8:30–16:30",
                phone=f"+591 2 000 01{area_number:02d}",
                email=f"{area.key}@mibarrio.example",
                boundary=polygon(area.bbox),
            )
            self._publish(home, page, "submunicipalities", before_publish=attach_image)
        else:
            self.report.count("submunicipalities", False)
            attach_image(page)
        team, images = holder["team"], holder["images"]

        editor = self._user(editor_username(area), f"editor of {area.name}")
        editor.groups.add(team.editors)
        reviewer = self._user(reviewer_username(area), f"reviewer of {area.name}")
        reviewer.groups.add(team.reviewers)

        # Created before the pages that show it: they choose it as they are created.
        feedback = self._feedback_form(page, area)
        self._news(
            page,
            demo_key("news", f"area-{area.key}"),
            f"La Subalcaldía {area.name} presenta su plan de obras 2027",
            f"Vecinos y juntas vecinales de {area.name} revisaron las obras priorizadas para el próximo año.",
            REFERENCE_DATE - datetime.timedelta(days=3 + area_number),
            images["panorama"],
            feedback_form=feedback,
        )
        self._area_budget(page, area_number)
        places = zip(area.neighborhoods, area.populations, neighborhood_bboxes(area.bbox), strict=True)
        for index, (barrio, population, bbox) in enumerate(places):
            number = self._neighborhood(
                page, area, barrio, bbox, population, images, number, feedback_form=feedback, show_form=index == 0
            )
        self._participation(page, area, area_number, feedback, editor)
        return number

    def _neighborhood(self, area_page, area, barrio, bbox, population, images, number, feedback_form, show_form):
        """``feedback_form`` is shown on the neighbourhood's first work, and on the neighbourhood
        itself when ``show_form``."""
        slug = slugify(barrio)
        key = demo_key("neighborhood", slug)
        page = self._existing(NeighborhoodPage, key)
        if page is None:
            latitude, longitude = point_in(bbox, 0.5, 0.5)
            page = NeighborhoodPage(
                translation_key=key,
                title=barrio,
                slug=slug,
                summary=f"{DEMO_LABEL} {barrio}, barrio del macrodistrito {area.name}.",
                body=[
                    ("heading", "Sobre el barrio"),
                    (
                        "paragraph",
                        RichText(
                            f"<p>{DEMO_SENTENCE}</p><p>{barrio} es un barrio del macrodistrito {area.name}, en "
                            f"{area.description}. Aquí verás sus obras, su junta vecinal y sus noticias.</p>"
                        ),
                    ),
                ],
                image=images["barrio"],
                center_latitude=latitude,
                center_longitude=longitude,
                population=population,
                council_name=f"Junta Vecinal de {barrio}",
                council_contact="Presidencia de la junta (persona ficticia)",
                council_phone="+591 2 000 0200",
                council_email=f"junta.{slug}@mibarrio.example",
                boundary=polygon(bbox),
                feedback_form=feedback_form if show_form else None,
            )
            self._publish(area_page, page, "neighbourhoods")
        else:
            self.report.count("neighbourhoods", False)
            if show_form:
                self._show_feedback_form(page, feedback_form)

        self._news(
            page,
            demo_key("news", f"neighborhood-{slug}"),
            f"Inspección vecinal de obras en {barrio}",
            f"La junta vecinal de {barrio} recorrió las obras del barrio junto a técnicos de la subalcaldía.",
            REFERENCE_DATE - datetime.timedelta(days=10 + number % 20),
            images["barrio"],
        )
        works = []
        for n, spot in enumerate(WORK_SPOTS[:WORKS_PER_NEIGHBORHOOD]):
            form = feedback_form if n == 0 else None
            works.append(self._work(page, plan_work(number, barrio), point_in(bbox, *spot), images, form))
            number += 1
        self._neighborhood_budget(page, works, number // WORKS_PER_NEIGHBORHOOD)
        return number

    def _work(self, parent, plan, location, images, feedback_form=None):
        key = demo_key("work", plan.project_code)
        existing = self._existing(PublicWorkPage, key)
        if existing is not None:
            self.report.count("works", False)
            self._show_feedback_form(existing, feedback_form)
            return existing
        fields = dict(plan.fields)
        contractor_key = fields.pop("contractor_key")
        latitude, longitude = location
        page = PublicWorkPage(
            translation_key=key,
            feedback_form=feedback_form,
            title=plan.title,
            project_code=plan.project_code,
            category=self.categories[plan.category.code],
            contractor=self.contractors[contractor_key] if contractor_key else None,
            latitude=latitude,
            longitude=longitude,
            photos=[
                PublicWorkPhoto(
                    translation_key=demo_key("photo", f"{plan.project_code}-{n}"),
                    locale=self.locale,
                    image=images[slug],
                    caption=caption,
                )
                for n, (slug, caption) in enumerate(plan.photos)
            ],
            updates=[
                PublicWorkUpdate(
                    translation_key=demo_key("update", f"{plan.project_code}-{n}"),
                    locale=self.locale,
                    date=date,
                    text=text,
                    image=images[slug] if slug else None,
                )
                for n, (date, text, slug) in enumerate(plan.updates)
            ],
            **fields,
        )
        return self._publish(parent, page, "works")

    # ---- budget lines -----------------------------------------------------------------------

    def _budget_line(self, area_page, year, code, category_code, description, allocated, executed, work=None):
        allocated = _money(allocated)
        line, created = BudgetLine.objects.get_or_create(
            area=area_page,
            fiscal_year=year,
            code=code,
            defaults={
                "category": self.categories[category_code],
                "description": f"{DEMO_LABEL} {description}",
                "amount_allocated": allocated,
                "amount_executed": min(_money(executed), allocated),
                "funding_source": ("IDH", "Coparticipación tributaria", "Recursos propios")[year % 3],
                "work": work,
            },
        )
        if created:
            line.full_clean()
        self.report.count("budget lines", created)

    def _neighborhood_budget(self, page, works, index):
        for year in BUDGET_YEARS:
            for work in works:
                self._budget_line(
                    page,
                    year,
                    f"PRE-{year}-{work.project_code}",
                    work.category.code,
                    work.title,
                    work.budget * WORK_SHARE_BY_YEAR[year],
                    work.amount_executed * WORK_SHARE_BY_YEAR[year],
                    work=work,
                )
            for n, (category_code, description, base) in enumerate(UPKEEP_LINES, start=1):
                allocated = Decimal(base + 5000 * ((index + n + year) % 7))
                self._budget_line(
                    page,
                    year,
                    f"PRE-{year}-B{index:02d}-M{n}",
                    category_code,
                    f"{description} de {page.title}",
                    allocated,
                    allocated * EXECUTION_BY_YEAR[year],
                )

    def _area_budget(self, page, area_number):
        for year in BUDGET_YEARS:
            for n, (category_code, description, base) in enumerate(AREA_LINES, start=1):
                allocated = Decimal(base + 25000 * ((area_number + n + year) % 5))
                self._budget_line(
                    page,
                    year,
                    f"PRE-{year}-M{area_number:02d}-{n}",
                    category_code,
                    description,
                    allocated,
                    allocated * EXECUTION_BY_YEAR[year],
                )

    def _news(self, parent, key, title, intro, date, image, feedback_form=None):
        existing = self._existing(NewsPage, key)
        if existing is not None:
            self.report.count("news", False)
            self._show_feedback_form(existing, feedback_form)
            return
        page = NewsPage(
            translation_key=key,
            feedback_form=feedback_form,
            title=title,
            date=date,
            intro=f"{DEMO_LABEL} {intro}",
            image=image,
            body=[("paragraph", RichText(f"<p>{DEMO_SENTENCE}</p><p>{intro}</p>"))],
        )
        self._publish(parent, page, "news")


def load_demo(log=None, random_passwords=False):
    """Build whatever is missing of the demo city and return a ``DemoReport``.

    New demo accounts get the published ``DEMO_PASSWORD``, or each a random one with
    ``random_passwords`` (what production settings ask for).
    """
    return DemoBuilder(log=log, random_passwords=random_passwords).build()
