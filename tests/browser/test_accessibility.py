"""Every page type passes axe-core's WCAG 2.1 A and AA checks, in Spanish and in Aymara; the focus is visible."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def page_types(city, language_code, participation):
    """One address of each page type residents see, in the language ``language_code``."""
    urls = city.urls[language_code]
    return {
        "home": f"/{language_code}/",
        **urls,
        **participation.urls[language_code],  # the work page embeds a feedback form
        "budget": f"{urls['submunicipality']}presupuesto/",
        "works filtered": f"{urls['neighbourhood']}?estado=in_progress&categoria=vias",
        "works filter ignored": f"{urls['neighbourhood']}?estado=no-existe",
        "bulletin": f"{urls['neighbourhood']}boletin/",
        "search results": f"/{language_code}/search/?q=Victoria",
        "not found": f"/{language_code}/no-existe/",
    }


def axe_violations(page, axe_source):
    # Evaluated through the browser's developer protocol, which the pages' Content-Security-Policy
    # does not restrict (a <script> added to the page would be refused: no inline scripts).
    page.evaluate(axe_source)
    result = page.evaluate("options => axe.run(document, options)", {"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [
                {"target": node["target"], "html": node["html"], "summary": node["failureSummary"]}
                for node in violation["nodes"]
            ],
        }
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("language_code", ["es", "ay"])
def test_every_page_type_passes_wcag_21_aa(new_page, city, participation, axe_source, language_code):
    page = new_page(locale=language_code)
    found = {}
    for name, url in page_types(city, language_code, participation).items():
        response = page.goto(url)
        assert response.status == (404 if name == "not found" else 200), url
        assert page.locator("html").get_attribute("lang") == language_code, url
        violations = axe_violations(page, axe_source)
        if violations:
            found[f"{name} ({url})"] = violations
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + json.dumps(found, indent=2, ensure_ascii=False)


def test_a_keyboard_user_sees_where_the_focus_is_and_can_skip_to_the_content(page):
    page.goto("/es/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Saltar al contenido principal")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    focused_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline != "none", "the focused element has no visible outline"
