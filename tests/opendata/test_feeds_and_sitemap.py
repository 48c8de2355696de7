"""Follow a neighbourhood: RSS and Atom feeds of each neighbourhood and submunicipality in the
reader's language, linked from the pages; ``/sitemap.xml`` with every language version of every
public page and its hreflang alternates; ``/robots.txt`` pointing to it."""

import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import feedparser
import pytest
from lxml import etree

from neighborhoods.models import NewsPage
from tests import factories
from works.models import PublicWorkPage

pytestmark = pytest.mark.django_db

LANGUAGES = ["es", "ay", "qu", "gn", "en"]
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The sitemap protocol 0.9 (https://www.sitemaps.org/protocol.html) as an XML Schema, written here
# from the protocol's text: a <urlset> of 1 to 50,000 <url>, each a <loc> (an absolute URL under
# 2,048 characters), then optionally <lastmod> (W3C datetime), <changefreq> and <priority>, then
# elements of other namespaces (here the xhtml:link alternates).
SITEMAP_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
            xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
            elementFormDefault="qualified">
  <xsd:element name="urlset">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="url" type="tUrl" maxOccurs="50000"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
  <xsd:complexType name="tUrl">
    <xsd:sequence>
      <xsd:element name="loc" type="tLoc"/>
      <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
      <xsd:element name="changefreq" type="tChangeFreq" minOccurs="0"/>
      <xsd:element name="priority" type="tPriority" minOccurs="0"/>
      <xsd:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:simpleType name="tLoc">
    <xsd:restriction base="xsd:anyURI">
      <xsd:minLength value="12"/>
      <xsd:maxLength value="2047"/>
      <xsd:pattern value="https?://.+"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="tLastmod">
    <xsd:union memberTypes="xsd:date xsd:dateTime xsd:gYear xsd:gYearMonth">
      <xsd:simpleType>
        <xsd:restriction base="xsd:string">
          <xsd:pattern value="\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(Z|[+\\-]\\d{2}:\\d{2})"/>
        </xsd:restriction>
      </xsd:simpleType>
    </xsd:union>
  </xsd:simpleType>
  <xsd:simpleType name="tChangeFreq">
    <xsd:restriction base="xsd:string">
      <xsd:enumeration value="always"/>
      <xsd:enumeration value="hourly"/>
      <xsd:enumeration value="daily"/>
      <xsd:enumeration value="weekly"/>
      <xsd:enumeration value="monthly"/>
      <xsd:enumeration value="yearly"/>
      <xsd:enumeration value="never"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="tPriority">
    <xsd:restriction base="xsd:decimal">
      <xsd:minInclusive value="0.0"/>
      <xsd:maxInclusive value="1.0"/>
    </xsd:restriction>
  </xsd:simpleType>
</xsd:schema>
"""
# W3C datetime (https://www.w3.org/TR/NOTE-datetime), the forms the sitemap protocol accepts.
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")


def in_language(page, code):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code=code)


def fetch_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.fixture
def area():
    """A neighbourhood with a published work (with a progress update), a news item, a draft work
    and a private news item; every page with its aliases in the other languages."""
    with factories.aliases_made():
        sub = factories.submunicipality(title="Subalcaldía Centro")
        barrio = factories.neighborhood(sub, title="Sopocachi")
        work = factories.work(barrio, title="Pavimentación de la calle Sucre")
        factories.add_work_media(work, updates=[(datetime.date(2026, 10, 5), "Se colocó la primera capa de asfalto.")])
        news = factories.news(barrio, title="Feria vecinal en la plaza")
        draft = PublicWorkPage(
            title="Obra en borrador",
            project_code="OB-DRAFT-1",
            category=work.category,
            budget=work.budget,
            live=False,
        )
        barrio.add_child(instance=draft)
        draft.save_revision()
        private = factories.news(barrio, title="Noticia reservada")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    return {"sub": sub, "barrio": barrio, "work": work, "news": news, "draft": draft, "private": private}


# ---- feeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_neighbourhood_feed_lists_new_works_progress_updates_and_news(client, area, kind):
    barrio, work, news = area["barrio"], area["work"], area["news"]
    response, parsed = fetch_feed(client, f"{barrio.url}feed/{kind}/")

    assert parsed.version == ("rss20" if kind == "rss" else "atom10")
    assert "Sopocachi" in parsed.feed.title
    assert parsed.feed.link == barrio.full_url
    assert parsed.feed.language == "es"
    titles = [entry.title for entry in parsed.entries]
    assert "New work: Pavimentación de la calle Sucre" not in titles  # the reader's language, Spanish
    assert "Obra nueva: Pavimentación de la calle Sucre" in titles
    assert "Avance: Pavimentación de la calle Sucre" in titles
    assert "Feria vecinal en la plaza" in titles

    by_title = {entry.title: entry for entry in parsed.entries}
    new_work = by_title["Obra nueva: Pavimentación de la calle Sucre"]
    assert new_work.link == work.full_url
    assert new_work.summary == "Resumen de la obra"
    update = by_title["Avance: Pavimentación de la calle Sucre"]
    assert update.link.startswith(work.full_url)
    assert update.summary == "Se colocó la primera capa de asfalto."
    assert update.published_parsed[:3] == (2026, 10, 5)
    item = by_title["Feria vecinal en la plaza"]
    assert item.link == news.full_url
    assert item.published_parsed[:3] == (2026, 11, 1)

    guids = [entry.id for entry in parsed.entries]
    assert len(set(guids)) == len(guids) == 3
    assert all(urlparse(entry.link).path.startswith("/es/") for entry in parsed.entries)
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_consultation_enters_the_feed_when_it_opens_in_the_readers_language(client, area, kind):
    from django.utils import timezone

    from participation.models import ConsultationPage

    now = timezone.now()
    with factories.aliases_made():
        open_one = factories.publish(
            area["barrio"],
            ConsultationPage(
                title="Plaza Abaroa",
                question="¿Qué quieres en la plaza?",
                opens_at=now - datetime.timedelta(days=2),
                closes_at=now + datetime.timedelta(days=20),
            ),
        )
        factories.publish(
            area["barrio"],
            ConsultationPage(
                title="Mercado",
                question="¿Horario del mercado?",
                opens_at=now + datetime.timedelta(days=3),
                closes_at=now + datetime.timedelta(days=20),
            ),
        )

    _response, parsed = fetch_feed(client, f"{area['barrio'].url}feed/{kind}/")
    by_title = {entry.title: entry for entry in parsed.entries}
    assert "Consulta abierta: Plaza Abaroa" in by_title
    assert not any("Mercado" in title for title in by_title)  # not open yet
    entry = by_title["Consulta abierta: Plaza Abaroa"]
    assert entry.link == open_one.full_url and entry.summary == "¿Qué quieres en la plaza?"

    _response, parsed = fetch_feed(client, f"{in_language(area['barrio'], 'ay').url}feed/{kind}/")
    assert in_language(open_one, "ay").full_url in {entry.link for entry in parsed.entries}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_draft_and_private_pages_never_appear_in_a_feed(client, area, kind):
    for page in (area["barrio"], area["sub"], in_language(area["barrio"], "ay")):
        response, parsed = fetch_feed(client, f"{page.url}feed/{kind}/")
        body = response.content.decode()
        assert "Obra en borrador" not in body
        assert "Noticia reservada" not in body
        assert len(parsed.entries) == 3


def test_a_submunicipality_feed_gathers_its_neighbourhoods(client, area):
    with factories.aliases_made():
        own_news = factories.news(area["sub"], title="Horario de atención de la subalcaldía")
    _response, parsed = fetch_feed(client, f"{area['sub'].url}feed/atom/")
    titles = {entry.title for entry in parsed.entries}
    assert titles == {
        "Obra nueva: Pavimentación de la calle Sucre",
        "Avance: Pavimentación de la calle Sucre",
        "Feria vecinal en la plaza",
        own_news.title,
    }


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_an_aymara_feed_links_to_the_aymara_pages(client, area, kind):
    barrio_ay = in_language(area["barrio"], "ay")
    assert barrio_ay.url.startswith("/ay/")
    _response, parsed = fetch_feed(client, f"{barrio_ay.url}feed/{kind}/")
    work_ay, news_ay = in_language(area["work"], "ay"), in_language(area["news"], "ay")
    links = {entry.link.split("#")[0] for entry in parsed.entries}
    assert links == {work_ay.full_url, news_ay.full_url}
    assert all(urlparse(entry.link).path.startswith("/ay/") for entry in parsed.entries)
    assert parsed.feed.link == barrio_ay.full_url
    assert parsed.feed.language == "ay"
    spanish_ids = {entry.id for entry in fetch_feed(client, f"{area['barrio'].url}feed/{kind}/")[1].entries}
    assert not spanish_ids & {entry.id for entry in parsed.entries}


def test_a_translated_page_appears_with_its_translated_title(client):
    with factories.aliases_made():
        barrio = factories.neighborhood(title="Miraflores")
        news = factories.news(barrio, title="Corte de agua el lunes")
        english = factories.translation(news, "en", title="Water cut on Monday", slug="water-cut")
    barrio_en = in_language(barrio, "en")
    _response, parsed = fetch_feed(client, f"{barrio_en.url}feed/rss/")
    assert [(entry.title, entry.link) for entry in parsed.entries] == [("Water cut on Monday", english.full_url)]
    assert english.url.startswith("/en/")


def test_a_draft_or_private_area_has_no_feed(client, area):
    barrio = area["barrio"]
    PageViewRestriction.objects.create(page=barrio, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get(f"{barrio.url}feed/rss/")
    assert response.status_code == 200  # Wagtail's password form, not the feed
    assert b"Pavimentaci" not in response.content
    assert response["Content-Type"].startswith("text/html")

    sub = area["sub"]
    url = f"{sub.url}feed/atom/"
    sub.unpublish()
    assert client.get(url).status_code == 404


def test_area_pages_link_their_feeds_in_the_head_and_visibly(client, area):
    for page, follow in ((area["barrio"], "Sigue a este barrio"), (area["sub"], "Sigue a esta subalcaldía")):
        markup = client.get(page.url).content.decode()
        head = markup.split("</head>")[0]
        assert '<link rel="alternate" type="application/rss+xml" title="' in head
        assert f'href="{page.url}feed/rss/"' in head
        assert '<link rel="alternate" type="application/atom+xml"' in head
        assert f'href="{page.url}feed/atom/"' in head
        body = markup.split("<body")[1]
        assert follow in body
        assert f'<a href="{page.url}feed/rss/" type="application/rss+xml">RSS</a>' in body
        assert f'<a href="{page.url}feed/atom/" type="application/atom+xml">Atom</a>' in body


def test_a_feed_of_51_items_runs_no_more_queries_than_one_of_6(client, django_assert_max_num_queries):
    def area_with(count):
        barrio = factories.neighborhood()
        category = factories.category()
        for i in range(count):
            work = factories.work(barrio, category=category)
            factories.add_work_media(work, updates=[(datetime.date(2026, 1, 1 + i % 28), f"Avance {i}")])
            factories.news(barrio)
        return barrio

    with factories.without_search_index_updates():
        small, large = area_with(2), area_with(17)  # 6 and 51 items
    url = f"{small.url}feed/rss/"
    client.get(url)  # warm the site root paths cache
    with CaptureQueriesContext(connection) as small_queries:
        assert len(fetch_feed(client, url)[1].entries) == 6
    with django_assert_max_num_queries(len(small_queries)):
        assert len(fetch_feed(client, f"{large.url}feed/rss/")[1].entries) == 30


# ---- sitemap and robots.txt -------------------------------------------------------------------


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return response.content


def test_the_sitemap_lists_every_language_version_with_hreflang_alternates(client, area):
    root = ET.fromstring(sitemap(client))
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    entries = {}
    for url in root.findall(f"{{{SITEMAP_NS}}}url"):
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{{{XHTML_NS}}}link")
            if link.get("rel") == "alternate"
        }
        entries[url.find(f"{{{SITEMAP_NS}}}loc").text] = alternates

    for page in (area["work"], area["news"], area["barrio"], area["sub"], factories.home_page()):
        versions = {code: in_language(page, code).full_url for code in LANGUAGES}
        assert urlparse(versions["ay"]).path.startswith("/ay/")
        for _code, location in versions.items():
            assert location in entries, location  # the Spanish page and each alias
            assert entries[location] == {**versions, "x-default": versions["es"]}

    listed = "".join(entries)
    assert "borrador" not in listed
    assert in_language(area["private"], "es").url not in listed
    private_locations = {p.full_url for p in NewsPage.objects.filter(title="Noticia reservada")}
    assert not private_locations & set(entries)


def test_the_sitemap_is_valid_against_the_protocol(client, area):
    content = sitemap(client)
    root = ET.fromstring(content)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    urls = root.findall(f"{{{SITEMAP_NS}}}url")
    assert 0 < len(urls) <= 50_000
    assert len(content) <= 50 * 1024 * 1024
    for url in urls:
        children = [child.tag for child in url]
        assert children.count(f"{{{SITEMAP_NS}}}loc") == 1
        location = url.find(f"{{{SITEMAP_NS}}}loc").text
        assert re.match(r"^https?://[^/]+/", location) and len(location) < 2048
        for lastmod in url.findall(f"{{{SITEMAP_NS}}}lastmod"):
            assert W3C_DATETIME.match(lastmod.text), lastmod.text
        for tag in children:
            assert tag.startswith((f"{{{SITEMAP_NS}}}", f"{{{XHTML_NS}}}")), tag

    schema = etree.XMLSchema(etree.fromstring(SITEMAP_XSD))
    document = etree.fromstring(content)
    assert schema.validate(document), schema.error_log


def test_robots_txt_allows_the_site_but_not_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
