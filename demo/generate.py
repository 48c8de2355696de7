"""A generated city of any size, for measuring: ``python manage.py generate_city``.

Pages are written in bulk, not published one by one: each level of the tree (submunicipalities,
neighbourhoods, works and news) is inserted a few hundred rows per statement, with its tree
paths computed here, then copied as aliases into the other languages' trees (what publishing
would do, see ``languages.aliases``), then the search index is built once for everything. A
city of 10,000 pages takes about a minute instead of hours.

Generated pages are published, untranslated, without revisions or images; their slugs start
with ``gen-`` so that a generated city can be grown, and so that real content is never mixed
with one by accident (``has_real_content``).
"""

import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from wagtail.models import Locale, Page

from budgets.models import BudgetLine
from home.models import HomePage
from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
from search.memo import changed as search_memo_changed
from works.models import PublicWorkPage, WorkCategory, WorkStatus

SLUG_PREFIX = "gen-"
BATCH = 500

PLACES = [
    "Achumani",
    "Alto",
    "Bajo",
    "Calacoto",
    "Chasquipampa",
    "Cota",
    "Cotahuma",
    "Gran",
    "Poder",
    "Irpavi",
    "Kantutani",
    "Llojeta",
    "Mallasa",
    "Miraflores",
    "Obrajes",
    "Ovejuyo",
    "Pampahasi",
    "Periférica",
    "San",
    "Pedro",
    "Santa",
    "Bárbara",
    "Sopocachi",
    "Tembladerani",
    "Villa",
    "Fátima",
    "Villa",
    "Copacabana",
    "Vino",
    "Tinto",
    "Alto",
    "Següencoma",
    "Pura",
    "Pura",
    "Munaypata",
    "Chijini",
    "Callampaya",
    "Achachicala",
    "Kupini",
    "Valle",
    "Hermoso",
    "Rosario",
    "Ciudadela",
    "Ferroviaria",
    "Huayllani",
    "Ñuñoa",
    "Jupapina",
    "Amor",
    "de",
    "Dios",
]
WORK_KINDS = (
    "Pavimentación", "Empedrado", "Canalización", "Alumbrado público", "Construcción de graderías",
    "Mantenimiento de plaza", "Muro de contención", "Red de agua potable", "Alcantarillado sanitario",
    "Cancha de césped sintético", "Puente peatonal", "Sede vecinal", "Mercado municipal", "Señalización vial",
    "Áreas verdes", "Centro de salud", "Unidad educativa", "Bacheo", "Drenaje pluvial", "Mirador",
)  # fmt: skip
STREETS = (
    "calle Jaén", "avenida 6 de Agosto", "calle Sucre", "avenida Buenos Aires", "calle Linares",
    "avenida Arce", "calle Illimani", "pasaje Los Pinos", "avenida del Ejército", "calle Murillo",
    "avenida Kollasuyo", "calle Potosí", "avenida Hernando Siles", "calle Ecuador", "avenida Periférica",
)  # fmt: skip
WORDS = [
    "vecinos",
    "barrio",
    "obra",
    "trabajos",
    "calle",
    "avenida",
    "agua",
    "lluvia",
    "tierra",
    "piedra",
    "cemento",
    "tramo",
    "metros",
    "plaza",
    "parque",
    "escuela",
    "mercado",
    "salud",
    "seguridad",
    "iluminación",
    "junta",
    "vecinal",
    "dirigentes",
    "municipio",
    "proyecto",
    "presupuesto",
    "ejecución",
    "avance",
    "contrato",
    "empresa",
    "supervisión",
    "entrega",
    "inauguración",
    "mantenimiento",
    "riesgo",
    "deslizamiento",
    "ladera",
    "quebrada",
    "río",
    "puente",
    "acera",
    "grada",
    "muro",
    "drenaje",
    "alcantarilla",
    "red",
    "luz",
    "niños",
    "mayores",
    "comerciantes",
    "transporte",
    "minibús",
    "tráfico",
    "fiesta",
    "feria",
    "domingo",
    "mañana",
    "tarde",
    "semana",
    "asfalto",
    "adoquín",
    "losa",
    "hormigón",
    "fierro",
    "tubería",
    "cámara",
    "colector",
    "cuneta",
    "bordillo",
    "jardinera",
    "árbol",
    "banco",
    "juegos",
    "infantiles",
    "baño",
    "público",
    "mingitorio",
    "kiosco",
    "parada",
    "teleférico",
    "estación",
    "terminal",
    "cancha",
    "coliseo",
    "piscina",
    "biblioteca",
    "guardería",
    "comedor",
    "posta",
    "hospital",
    "farmacia",
    "ambulancia",
    "bomberos",
    "policía",
    "módulo",
    "serenazgo",
    "cámaras",
    "vigilancia",
    "alarma",
    "comunitaria",
    "basura",
    "contenedor",
    "reciclaje",
    "limpieza",
    "barrido",
    "poda",
    "riego",
    "sequía",
    "granizo",
    "helada",
    "inundación",
    "mazamorra",
    "derrumbe",
    "estabilización",
    "gaviones",
    "terraplén",
    "talud",
    "topografía",
    "estudio",
    "diseño",
    "licitación",
    "adjudicación",
    "orden",
    "proceder",
    "anticipo",
    "planilla",
    "certificado",
    "fiscalización",
    "recepción",
    "provisional",
    "definitiva",
    "garantía",
    "multa",
    "retraso",
    "ampliación",
    "plazo",
    "modificación",
    "vecina",
    "dirigente",
    "presidente",
    "secretaria",
    "asamblea",
    "reunión",
    "cabildo",
    "audiencia",
    "rendición",
    "cuentas",
    "control",
    "social",
    "denuncia",
    "reclamo",
    "solicitud",
    "firma",
    "carta",
    "nota",
    "informe",
    "acta",
    "convenio",
    "alcaldía",
    "concejo",
    "gobierno",
    "municipal",
    "distrito",
    "zona",
    "urbanización",
    "villa",
    "comunidad",
    "sindicato",
    "gremio",
    "asociación",
    "cooperativa",
    "artesanos",
    "costureras",
    "panaderos",
    "choferes",
    "estudiantes",
    "maestros",
    "padres",
    "familia",
    "jóvenes",
    "deportistas",
    "campeonato",
    "torneo",
    "fútbol",
    "básquet",
    "vóley",
    "ajedrez",
    "danza",
    "música",
    "banda",
    "comparsa",
    "entrada",
    "folklórica",
    "morenada",
    "caporales",
    "tinku",
    "diablada",
    "aniversario",
    "cívico",
    "desfile",
    "misa",
    "kermés",
    "apthapi",
    "wiphala",
    "illimani",
    "huayna",
    "potosí",
    "mururata",
    "chacaltaya",
    "cumbre",
    "valle",
    "ceja",
    "altiplano",
    "yungas",
]
CATEGORIES = (
    ("gen-vias", "Vías y pavimentos"), ("gen-agua", "Agua y saneamiento"), ("gen-alumbrado", "Alumbrado"),
    ("gen-parques", "Parques y áreas verdes"), ("gen-riesgos", "Gestión de riesgos"),
    ("gen-equipamiento", "Equipamiento urbano"), ("gen-salud", "Salud"), ("gen-educacion", "Educación"),
)  # fmt: skip


@dataclass
class Sizes:
    """How many of each to add."""

    submunicipalities: int = 9
    neighborhoods: int = 100
    works: int = 700
    news: int = 190
    budget_lines: int = 2  # per new neighbourhood and year


@dataclass
class Report:
    created: dict = field(default_factory=dict)


def has_real_content():
    """Whether the site has pages below its home pages that this generator did not make."""
    return Page.objects.filter(depth__gt=2).exclude(slug__startswith=SLUG_PREFIX).exists()


class Writer:
    """Inserts specific pages under their parents in bulk, keeping the tree's paths and counts."""

    def __init__(self):
        self.next_step = {}  # parent path → the next child's step number
        self.now = timezone.now()

    def _step_after_last_child(self, parent):
        last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
        return int(last.path[-Page.steplen :], 36) + 1 if last else 1

    def add(self, model, items):
        """Insert ``items`` — (parent, page instance) pairs, all of ``model`` — and return the pages."""
        content_type = ContentType.objects.get_for_model(model)
        counts = {}
        for parent, page in items:
            if parent.path not in self.next_step:
                self.next_step[parent.path] = self._step_after_last_child(parent)
            step = self.next_step[parent.path]
            self.next_step[parent.path] += 1
            counts[parent.pk] = counts.get(parent.pk, 0) + 1
            page.path = Page._get_path(parent.path, parent.depth + 1, step)
            page.depth = parent.depth + 1
            page.numchild = 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.draft_title = page.title
            page.content_type = content_type
            page.locale_id = parent.locale_id
            page.live = True
            page.has_unpublished_changes = False
            page.first_published_at = page.last_published_at = self.now
            if not page.translation_key:
                page.translation_key = uuid.uuid4()
            if isinstance(page, PublicWorkPage):
                page.code_in_locale = f"{page.locale_id}:{page.project_code}"
        pages = [page for _parent, page in items]
        base_fields = [f.attname for f in Page._meta.concrete_fields if f.attname != "id"]
        local_fields = list(model._meta.local_concrete_fields)
        for start in range(0, len(pages), BATCH):
            chunk = pages[start : start + BATCH]
            bases = Page.objects.bulk_create([Page(**{name: getattr(p, name) for name in base_fields}) for p in chunk])
            for page, base in zip(chunk, bases, strict=True):
                page.id = page.page_ptr_id = base.pk
            # A multi-table page cannot be bulk-created: its own table's rows are inserted here.
            model._base_manager._insert(chunk, fields=local_fields, using=connection.alias)
        for parent_pk, count in counts.items():
            Page.objects.filter(pk=parent_pk).update(numchild=Page.objects.get(pk=parent_pk).numchild + count)
        return pages


def sentence(rng, words=12):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def categories():
    """The generated city's categories (made once, in Spanish)."""
    locale = Locale.get_default()
    made = []
    for code, name in CATEGORIES:
        category, _created = WorkCategory.objects.get_or_create(code=code, locale=locale, defaults={"name": name})
        made.append(category)
    return made


def generate_city(sizes, seed=1, aliases=True, index=True, progress=None):
    """Add a generated city of ``sizes`` under the Spanish home page; return what was created.

    ``progress(iterable, total=, desc=)`` wraps long loops (a tqdm progress bar in the command).
    """
    progress = progress or (lambda iterable, **kwargs: iterable)
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:6]  # keeps slugs and codes unique when a city is grown
    home = HomePage.objects.get(locale=Locale.get_default(), depth=2)
    writer = Writer()
    report = Report()
    kinds = categories()
    statuses = list(WorkStatus.values)

    with transaction.atomic():
        new_areas = writer.add(
            SubmunicipalityPage,
            [
                (
                    home,
                    SubmunicipalityPage(
                        title=f"Subalcaldía {PLACES[i % len(PLACES)]} {i + 1}",
                        slug=f"{SLUG_PREFIX}{run}-sub-{i + 1}",
                        summary=sentence(rng),
                        office_address=f"{rng.choice(STREETS)} {rng.randint(100, 3000)}",
                    ),
                )  # fmt: skip
                for i in progress(range(sizes.submunicipalities), desc="submunicipalities")
            ],
        )
        # Growing a city: new neighbourhoods go into the new submunicipalities, else the existing ones.
        areas = new_areas or list(SubmunicipalityPage.objects.filter(locale=home.locale, slug__startswith=SLUG_PREFIX))
        new_barrios = writer.add(
            NeighborhoodPage,
            [
                (
                    areas[i % len(areas)],
                    NeighborhoodPage(
                        title=f"{rng.choice(PLACES)} {rng.choice(PLACES)} {i + 1}",
                        slug=f"{SLUG_PREFIX}{run}-barrio-{i + 1}",
                        summary=sentence(rng),
                        council_name=f"Junta Vecinal {i + 1}",
                        population=rng.randint(800, 40000),
                    ),
                )  # fmt: skip
                for i in progress(range(sizes.neighborhoods if areas else 0), desc="neighbourhoods")
            ],
        )
        barrios = new_barrios or list(NeighborhoodPage.objects.filter(locale=home.locale, slug__startswith=SLUG_PREFIX))
        items = []
        for i in progress(range(sizes.works if barrios else 0), desc="works"):
            budget = Decimal(rng.randint(20_000, 5_000_000))
            status = rng.choice(statuses)
            items.append((barrios[i % len(barrios)], PublicWorkPage(
                title=f"{rng.choice(WORK_KINDS)} en {rng.choice(STREETS)} {i + 1}",
                slug=f"{SLUG_PREFIX}{run}-obra-{i + 1}", project_code=f"GEN-{run}-{i + 1:06d}",
                category=rng.choice(kinds), summary=sentence(rng, 20), description=f"<p>{sentence(rng, 40)}</p>",
                status=status, progress=100 if status == WorkStatus.COMPLETED else rng.randint(0, 95),
                budget=budget, amount_executed=(budget * rng.randint(0, 100) / 100).quantize(Decimal("1")),
                latitude=Decimal("-16.5") + Decimal(rng.randint(-900, 900)) / 10_000,
                longitude=Decimal("-68.12") + Decimal(rng.randint(-900, 900)) / 10_000,
            )))  # fmt: skip
        works = writer.add(PublicWorkPage, items)
        news_parents = barrios or areas
        news = writer.add(
            NewsPage,
            [
                (
                    rng.choice(news_parents),
                    NewsPage(
                        title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} en {rng.choice(PLACES)} {i + 1}",
                        slug=f"{SLUG_PREFIX}{run}-noticia-{i + 1}",
                        intro=sentence(rng, 25),
                        date=timezone.localdate() - timezone.timedelta(days=rng.randint(0, 700)),
                    ),
                )  # fmt: skip
                for i in progress(range(sizes.news if news_parents else 0), desc="news")
            ],
        )
        year = timezone.localdate().year
        lines = [
            BudgetLine(
                area=barrio,
                fiscal_year=year - back,
                code=f"GEN-{run}-{barrio.pk}-{back}-{n}",
                category=rng.choice(kinds),
                description=f"{rng.choice(WORK_KINDS)} {rng.choice(WORDS)}",
                amount_allocated=Decimal(rng.randint(50_000, 900_000)),
                amount_executed=Decimal(0),
            )  # fmt: skip
            for barrio in new_barrios
            for back in range(2)
            for n in range(sizes.budget_lines)
        ]
        BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
        report.created.update(
            {"submunicipalities": len(new_areas), "neighbourhoods": len(new_barrios), "works": len(works),
             "news": len(news), "budget lines": len(lines)}
        )  # fmt: skip
        if aliases:
            report.created["aliases"] = make_aliases(writer, new_areas + new_barrios + works + news, progress)
    search_memo_changed()  # bulk_create sends no signals: searches must read the new areas
    if index:
        report.created["index entries"] = build_index(progress)
    tidy_up()
    return report


def tidy_up():
    """Let PostgreSQL forget the row versions the bulk load left behind, and learn the new sizes.

    The bulk load leaves dead versions of index entries and pages behind (at 10,000 pages the
    index table is 158 MB, 90 MB once compacted): without a VACUUM, a search reads and throws
    them away whenever autovacuum is off or has not come round yet (``bench/search.py``
    measured the count of a common word at 19 ms before, 10 ms after, when each entry was
    still written twice). Inside a transaction (tests), only ANALYZE.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Page, SubmunicipalityPage, NeighborhoodPage, PublicWorkPage, NewsPage, BudgetLine)
    ]
    tables.append("wagtailsearch_indexentry")
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {', '.join(tables)}")


def make_aliases(writer, pages, progress):
    """Copy ``pages`` (parents first) as aliases into every other language's tree, as publishing does."""
    made = 0
    source = Locale.get_default()
    for locale in Locale.objects.exclude(pk=source.pk):
        alias_parent = {
            page.translation_key: page
            for page in Page.objects.filter(locale=locale, depth__lte=4).only("pk", "path", "depth", "url_path", "locale_id", "translation_key", "numchild")
        }  # fmt: skip
        by_model = {}
        for page in progress(pages, desc=f"aliases ({locale.language_code})"):
            by_model.setdefault(type(page), []).append(page)
        for model in (SubmunicipalityPage, NeighborhoodPage, PublicWorkPage, NewsPage):
            items = []
            sources = by_model.get(model, [])
            parents = dict(
                Page.objects.filter(path__in={p.path[: -Page.steplen] for p in sources}).values_list(
                    "path", "translation_key"
                )
            )
            for page in sources:
                parent = alias_parent.get(parents.get(page.path[: -Page.steplen]))
                if parent is None:
                    continue
                alias = model(
                    **{
                        f.attname: getattr(page, f.attname)
                        for f in model._meta.concrete_fields
                        if f.attname not in {"id", "page_ptr_id", "path", "depth", "numchild", "url_path"}
                    }
                )
                alias.pk = None
                alias.alias_of_id = page.pk
                items.append((parent, alias))
            for alias in writer.add(model, items):
                if model in (SubmunicipalityPage, NeighborhoodPage):
                    alias_parent[alias.translation_key] = alias
            made += len(items)
    return made


def build_index(progress):
    """Index every generated page once, in batches, then compute every title norm."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    total = 0
    for model in (SubmunicipalityPage, NeighborhoodPage, PublicWorkPage, NewsPage, BudgetLine, WorkCategory):
        index = backend.get_index_for_model(model)
        queryset = model.objects.all().order_by("pk")
        if hasattr(model, "slug"):
            queryset = queryset.filter(slug__startswith=SLUG_PREFIX)
        count = queryset.count()
        for start in progress(
            range(0, count, BATCH), desc=f"index {model._meta.verbose_name_plural}", total=-(-count // BATCH)
        ):
            index.add_items(model, list(queryset[start : start + BATCH]))
        total += count
    if hasattr(backend, "get_index_for_model"):
        refresh = getattr(backend.get_index_for_model(Page), "_refresh_title_norms", None)
        if refresh:
            refresh(full=True)
    return total
