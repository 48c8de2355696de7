"""A council leader prints the neighbourhood's bulletin to pin it up for neighbours who are not
online: with print media emulated the screen help disappears, the open consultation is there with
its hearing and its QR code, and the whole bulletin fits on one A4 sheet."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import BROWSER_TEST
from tests.browser.participation import participation  # noqa: F401 - the fixture

pytestmark = BROWSER_TEST


def test_the_bulletin_prints_on_one_a4_sheet_with_the_open_consultation(page, city, participation):  # noqa: F811
    page.goto(city.neighborhood.url + "boletin/")
    help_line = page.locator(".print-help")
    expect(help_line).to_be_visible()  # on screen: how to print it

    page.emulate_media(media="print")

    expect(help_line).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(city.neighborhood.title)
    consultation = participation.consultation
    expect(page.get_by_text(consultation.question)).to_be_visible()
    expect(page.get_by_text("Sede de la Junta Vecinal de Villa Victoria")).to_be_visible()
    # One QR code back to the neighbourhood page, one to the consultation, both in Spanish.
    titles = [title.text_content() for title in page.locator("svg.qr-code > title").all()]
    assert len(titles) == 2
    assert titles[0].endswith(city.neighborhood.url) and titles[1].endswith(consultation.url)

    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    sheets = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert sheets == 1, f"the bulletin printed on {sheets} A4 pages"
