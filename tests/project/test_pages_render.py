"""The public pages render what residents need, in valid, accessible Spanish-default HTML."""

import datetime
import html
import re
from decimal import Decimal
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation

from wagtail.models import Locale

import pytest

from home.blocks import BodyBlock
from tests import factories
from works.models import WorkStatus

pytestmark = pytest.mark.django_db

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NBSP = "\xa0"


class _Outline(HTMLParser):
    """Counts elements and checks that every opened element is closed in order."""

    def __init__(self):
        super().__init__()
        self.counts = {}
        self.stack = []
        self.errors = []
        self.html_lang = None
        self.ids = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def assert_page_shell(markup):
    """The parts every public page shares: language, one h1, a main landmark, a skip link, our CSS."""
    outline = _Outline()
    outline.feed(markup)
    outline.close()
    assert markup.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="es">' in markup
    assert outline.html_lang == "es"
    assert outline.counts.get("h1") == 1
    assert outline.counts.get("main") == 1
    assert '<main id="main"' in markup
    assert 'href="#main"' in markup
    assert '<meta name="viewport"' in markup
    assert "/static/css/mibarrio.css" in markup
    # JavaScript only enhances: no inline script, only the portal's own deferred files (the maps').
    scripts = re.findall(r"<script\b[^>]*>", markup)
    assert all(re.fullmatch(r'<script src="/static/js/[\w.-]+\.js" defer>', tag) for tag in scripts), scripts
    assert outline.errors == []
    assert outline.stack == []
    assert len(outline.ids) == len(set(outline.ids)), "duplicate id attributes"


def text(markup):
    """What a reader sees: tags removed and entities decoded ("Bs</abbr>&nbsp;1" reads "Bs\xa01")."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def status_label(status):
    with translation.override("es"):
        return str(status.label)


def test_home_page_lists_submunicipalities_and_latest_news(client):
    home = factories.home_page()
    area = factories.submunicipality(title="Subalcaldía Cotahuma")
    item = factories.news(factories.neighborhood(area), title="Vacunación en Sopocachi")

    markup = get_html(client, home.url)

    assert_page_shell(markup)
    assert home.url == "/es/"
    assert f"<h1>{home.title}</h1>" in markup
    assert home.intro in text(markup)
    assert f'<a href="{area.url}">Subalcaldía Cotahuma</a>' in markup
    assert "Resumen de la subalcaldía" in text(markup)
    assert f'<a href="{item.url}">Vacunación en Sopocachi</a>' in markup
    assert '<time datetime="2026-11-01">' in markup
    # The site name in the header takes readers back to the home page of their language.
    assert '<a class="site-name" href="/es/">Mi Barrio</a>' in markup
    assert "<title>Mi Barrio</title>" in markup


def test_submunicipality_page_shows_its_office_neighbourhoods_and_news(client):
    photo = factories.image(title="Oficina de la subalcaldía")
    area = factories.submunicipality(
        title="Subalcaldía Max Paredes",
        office_address="Av. Buenos Aires 1234",
        opening_hours="Lunes a viernes, 8:30–16:30",
        phone="2 2456789",
        email="maxparedes@example.org",
        image=photo,
    )
    barrio = factories.neighborhood(area, title="Villa Victoria")
    draft = factories.neighborhood(area, title="Barrio en borrador")
    draft.unpublish()
    item = factories.news(area, title="Feria dominical")

    markup = get_html(client, area.url)

    assert_page_shell(markup)
    assert "<h1>Subalcaldía Max Paredes</h1>" in markup
    assert "<title>Subalcaldía Max Paredes · Mi Barrio</title>" in markup
    assert "Resumen de la subalcaldía" in text(markup)
    assert "Av. Buenos Aires 1234" in markup
    assert "Lunes a viernes, 8:30–16:30" in text(markup)
    assert '<a href="tel:22456789">2 2456789</a>' in markup
    assert '<a href="mailto:maxparedes@example.org">maxparedes@example.org</a>' in markup
    assert f'<a href="{barrio.url}">Villa Victoria</a>' in markup
    assert "Barrio en borrador" not in markup
    assert f'<a href="{item.url}">Feria dominical</a>' in markup
    assert re.search(r'<img [^>]*alt="Oficina de la subalcaldía"', markup)
    assert ".width-960." in markup
    # The breadcrumb leads back home.
    assert '<nav class="breadcrumb"' in markup
    assert '<li aria-current="page">Subalcaldía Max Paredes</li>' in markup


def test_neighborhood_page_shows_its_council_body_works_and_news(client):
    barrio = factories.neighborhood(
        title="Sopocachi",
        population=35120,
        council_name="Junta Vecinal de Sopocachi",
        council_contact="Rosa Mamani",
        council_phone="71234567",
        council_email="junta@example.org",
        body=[
            ("heading", "Historia del barrio"),
            ("paragraph", "<p>Uno de los barrios más antiguos.</p>"),
            ("link", {"text": "Mapa del barrio", "url": "https://example.org/mapa"}),
        ],
    )
    vias = factories.category(name="Vías y pavimentos")
    work = factories.work(
        barrio,
        title="Pavimentación calle Guachalla",
        category=vias,
        budget=Decimal("250000.00"),
        amount_executed=Decimal("62500.00"),
        progress=40,
        status=WorkStatus.IN_PROGRESS,
    )
    draft = factories.work(barrio, title="Obra todavía en borrador")
    draft.unpublish()
    item = factories.news(barrio, title="Corte de agua el lunes")

    markup = get_html(client, barrio.url)
    page_text = text(markup)

    assert_page_shell(markup)
    assert "<h1>Sopocachi</h1>" in markup
    assert "Resumen del barrio" in markup
    assert "35.120" in page_text
    assert "Junta Vecinal de Sopocachi" in markup
    assert "Rosa Mamani" in markup
    assert '<a href="mailto:junta@example.org">' in markup
    assert "<h2>Historia del barrio</h2>" in markup
    assert "Uno de los barrios más antiguos." in page_text
    assert '<a href="https://example.org/mapa">Mapa del barrio</a>' in markup
    # The work's card.
    assert f'<a href="{work.url}">Pavimentación calle Guachalla</a>' in markup
    assert "Vías y pavimentos" in page_text
    assert status_label(WorkStatus.IN_PROGRESS) in page_text
    assert '<progress max="100" value="40"' in markup
    assert "40 %" in page_text
    assert f"Bs{NBSP}250.000,00" in page_text
    assert f"Bs{NBSP}62.500,00" in page_text
    assert "25,0 %" in page_text
    # Only published works.
    assert "Obra todavía en borrador" not in markup
    assert f'<a href="{item.url}">Corte de agua el lunes</a>' in markup


def test_neighborhood_page_says_so_when_it_has_no_works(client):
    barrio = factories.neighborhood(title="Barrio nuevo")

    markup = get_html(client, barrio.url)

    assert_page_shell(markup)
    assert 'class="card work-card"' not in markup
    assert 'id="works-heading"' in markup


def test_work_page_shows_its_facts_money_gallery_documents_and_timeline(client):
    builder = factories.contractor(name="Constructora Illimani S.R.L.")
    work = factories.work(
        title="Mejoramiento plaza Avaroa",
        project_code="OB-2026-0142",
        category=factories.category(name="Parques y plazas"),
        contractor=builder,
        status=WorkStatus.IN_PROGRESS,
        progress=60,
        budget=Decimal("1250000.50"),
        amount_executed=Decimal("500000.20"),
        planned_start=datetime.date(2026, 2, 1),
        planned_end=datetime.date(2026, 12, 15),
        actual_start=datetime.date(2026, 3, 2),
        latitude=Decimal("-16.509876"),
        longitude=Decimal("-68.126543"),
    )
    factories.add_work_media(
        work,
        photos=3,
        documents=2,
        updates=[
            (datetime.date(2026, 5, 10), "Se terminó la demolición de la pileta antigua."),
            (datetime.date(2026, 3, 2), "Inicio de obras con la instalación de faenas."),
        ],
    )

    markup = get_html(client, work.url)
    page_text = text(markup)

    assert_page_shell(markup)
    assert "<h1>Mejoramiento plaza Avaroa</h1>" in markup
    assert "OB-2026-0142" in markup
    assert "Parques y plazas" in markup
    assert "Constructora Illimani S.R.L." in markup
    assert status_label(WorkStatus.IN_PROGRESS) in page_text
    assert '<progress max="100" value="60"' in markup
    assert f"Bs{NBSP}1.250.000,50" in page_text
    assert f"Bs{NBSP}500.000,20" in page_text
    assert "40,0 %" in page_text  # 500000.20 / 1250000.50
    assert '<time datetime="2026-02-01">1 de febrero de 2026</time>' in markup
    assert '<time datetime="2026-12-15">15 de diciembre de 2026</time>' in markup
    assert '<time datetime="2026-03-02">' in markup
    # Coordinates are written with a dot whatever the language, so they can be copied.
    assert "-16.509876" in markup
    assert "-68.126543" in markup
    # Gallery: three width-limited renditions, each with alt text and its caption.
    gallery = markup.split('id="photos-heading"')[1].split("</section>")[0]
    images = re.findall(r"<img [^>]*>", gallery)
    assert len(images) == 3
    for tag in images:
        assert ".width-640." in tag
        assert re.search(r'alt="Foto \d+"', tag)
    assert "<figcaption>Vista 1 de la obra</figcaption>" in markup
    # Documents link to Wagtail's document URL under their display title.
    for link in work.documents.all():
        assert f'<a href="{link.document.url}">{link.display_title}</a>' in markup
    assert "Informe técnico 2" in markup
    # Timeline: an ordered list in date order.
    timeline = markup.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert timeline.index("Inicio de obras") < timeline.index("Se terminó la demolición")
    assert '<time datetime="2026-05-10">10 de mayo de 2026</time>' in timeline


def test_work_page_explains_an_overrun_and_a_missing_contractor(client):
    work = factories.work(
        title="Muro de contención",
        budget=Decimal("1000.00"),
        amount_executed=Decimal("1500.00"),
        overrun_note="Lluvias extraordinarias obligaron a reforzar la base.",
        contractor=None,
    )

    markup = get_html(client, work.url)

    assert_page_shell(markup)
    assert "Lluvias extraordinarias obligaron a reforzar la base." in markup
    assert "150,0 %" in text(markup)
    with translation.override("es"):
        assert translation.gettext("Not yet awarded") in markup
        assert translation.gettext("No progress updates yet.") in markup


def test_news_page_shows_its_date_intro_image_and_body(client):
    barrio = factories.neighborhood(title="Miraflores")
    plan = factories.image(title="plano.png")
    plan.contextual_alt_text = "Plano del recorrido por el parque"
    plan.decorative = False
    item = factories.news(
        barrio,
        title="Nueva jornada de limpieza",
        date=datetime.date(2026, 10, 4),
        image=factories.image(title="Vecinos limpiando el parque"),
        body=[("paragraph", "<p>La jornada empieza a las nueve.</p>"), ("image", plan)],
    )

    markup = get_html(client, item.url)

    assert_page_shell(markup)
    assert "<h1>Nueva jornada de limpieza</h1>" in markup
    assert '<time datetime="2026-10-04">4 de octubre de 2026</time>' in markup
    assert "Introducción de la noticia" in text(markup)
    assert re.search(r'<img [^>]*alt="Vecinos limpiando el parque"', markup)
    assert "La jornada empieza a las nueve." in text(markup)
    # The body's image block: width-limited, with the alt text the editor wrote for this use.
    assert re.search(
        r'<figure class="block-image">\s*<img alt="Plano del recorrido por el parque"[^>]*width-960', markup
    )
    assert f'<a href="{barrio.url}">Miraflores</a>' in markup  # breadcrumb


def test_search_page_has_a_labelled_form_and_lists_results(client):
    work = factories.work(title="Alcantarillado en Achumani")
    factories.work(title="Otra obra cualquiera")

    markup = get_html(client, "/es/search/?q=Achumani")

    assert_page_shell(markup)
    assert '<form class="search-form" method="get" action="/es/search/">' in markup
    assert '<label for="search-q">' in markup
    assert re.search(r'<input type="search" id="search-q" name="q" value="Achumani"', markup)
    assert f'<a href="{work.url}">Alcantarillado en <mark>Achumani</mark></a>' in markup
    assert "Otra obra cualquiera" not in markup


def test_search_page_without_a_query_shows_only_the_form(client):
    markup = get_html(client, "/es/search/")

    assert_page_shell(markup)
    assert 'name="q"' in markup
    assert 'id="results-heading"' not in markup


def test_search_page_says_when_nothing_was_found(client):
    markup = get_html(client, "/es/search/?q=zzzinexistente")

    assert_page_shell(markup)
    assert 'id="results-heading"' in markup
    assert "zzzinexistente" in text(markup)
    assert "<ol" not in markup.split('id="results-heading"')[1]


def test_unknown_address_gets_the_portal_404_page(client):
    markup = get_html(client, "/es/no-existe-esta-pagina/", status=404)

    assert_page_shell(markup)


def test_server_error_page_renders_without_a_request_or_database(django_assert_num_queries):
    with translation.override("es"), django_assert_num_queries(0):
        markup = render_to_string("500.html")

    assert '<html lang="es">' in markup
    assert markup.count("<h1>") == 1
    assert '<main id="main"' in markup
    assert "/static/css/mibarrio.css" in markup


def test_a_translated_work_shows_its_category_in_the_readers_language(client):
    spanish_category = factories.category(name="Agua potable")
    work = factories.work(title="Red de agua", category=spanish_category)
    english = Locale.objects.get(language_code="en")
    english_category = spanish_category.copy_for_translation(english)
    english_category.name = "Drinking water"
    english_category.save()
    english_work = work.copy_for_translation(english, copy_parents=True)
    english_work.save_revision().publish()
    english_barrio = english_work.get_parent().specific  # an alias of the Spanish one, like its parents
    # Like wagtail-localize, the copy still points at the Spanish category.
    english_work.refresh_from_db()
    assert english_work.category_id == spanish_category.pk

    work_markup = get_html(client, english_work.url)
    barrio_markup = get_html(client, english_barrio.url)

    assert english_work.url.startswith("/en/")
    assert '<html lang="en">' in work_markup
    assert '<a class="site-name" href="/en/">' in work_markup  # home in the reader's language
    for markup in (work_markup, barrio_markup):
        assert "Drinking water" in markup
        assert "Agua potable" not in markup


def test_a_work_preview_shows_unsaved_photos_and_updates():
    from works.models import PublicWorkPhoto, PublicWorkUpdate

    work = factories.work(title="Obra en revisión")
    work.photos.add(PublicWorkPhoto(image=factories.image(title="Foto sin guardar"), caption="Pie sin guardar"))
    work.updates.add(PublicWorkUpdate(date=datetime.date(2026, 6, 1), text="Avance sin guardar"))

    response = work.make_preview_request()
    markup = response.content.decode()

    assert response.status_code == 200
    assert "<figcaption>Pie sin guardar</figcaption>" in markup
    assert "Avance sin guardar" in markup


def test_body_blocks_use_the_portal_templates():
    block = BodyBlock()
    value = block.to_python(
        [
            {"type": "heading", "value": "Cómo llegar"},
            {"type": "link", "value": {"text": "Horarios", "url": "https://example.org/h"}},
        ]
    )

    rendered = block.render(value)

    assert "<h2>Cómo llegar</h2>" in rendered
    assert '<p class="block-link"><a href="https://example.org/h">Horarios</a></p>' in rendered
