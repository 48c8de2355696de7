"""A resident on a cheap phone: reads in their language, finds their neighbourhood and a work in it,
with or without JavaScript, on a narrow screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def read_home_and_switch_language(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/es/$"))
    assert html_lang(page) == "es"
    expect(page.get_by_role("heading", name="Subalcaldías")).to_be_visible()

    languages = page.get_by_role("navigation", name="Idiomas")
    languages.get_by_role("link", name="Aymar aru").click()
    expect(page).to_have_url(re.compile(r"/ay/$"))
    assert html_lang(page) == "ay"
    expect(languages.get_by_text("Aymar aru")).to_have_attribute("aria-current", "true")

    languages.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(r"/es/$"))
    assert html_lang(page) == "es"


def find_neighbourhood_and_work_by_links(page, city):
    main = page.get_by_role("main")
    main.get_by_role("link", name=city.area.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(city.area.title)
    main.get_by_role("link", name=city.neighborhood.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(city.neighborhood.title)
    # From the works list (the latest progress, at the top, links the same work).
    main.locator("#obras").get_by_role("link", name=city.work.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(city.work.url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(city.work.title)
    expect(main).to_contain_text(city.work.project_code)


def find_neighbourhood_by_search(page, city):
    page.get_by_role("search").get_by_label("Buscar en el portal").fill("Victoria")
    page.get_by_role("search").get_by_role("button", name="Buscar").click()
    expect(page).to_have_url(re.compile(r"/es/search/\?q=Victoria$"))
    results = page.get_by_role("main").get_by_role("list").filter(has=page.get_by_role("heading"))
    results.get_by_role("link", name=city.neighborhood.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(city.neighborhood.url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(city.neighborhood.title)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_resident_reads_in_their_language_and_finds_their_neighbourhood_and_a_work(new_page, city, javascript):
    page = new_page(java_script_enabled=javascript)

    read_home_and_switch_language(page)
    find_neighbourhood_and_work_by_links(page, city)
    find_neighbourhood_by_search(page, city)


def test_the_pages_fit_a_phone_screen(new_page, city, tmp_path):
    page = new_page(viewport={"width": 360, "height": 640}, device_scale_factor=1, is_mobile=True, has_touch=True)

    budget = f"{city.area.url}presupuesto/"
    for url in ("/es/", city.area.url, city.neighborhood.url, city.work.url, city.news.url, budget):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"{url} is {scroll_width}px wide on a {inner_width}px screen"

    page.goto(city.work.url)
    assert page.evaluate("getComputedStyle(document.body).fontFamily"), "the stylesheet did not load"
    screenshot = tmp_path / "work-page-360x640.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 0
    print(f"Screenshot of the work page on a 360×640 screen: {screenshot}")
