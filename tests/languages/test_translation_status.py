"""`manage.py translation_status` tells a coordinator how far each language has come."""

import io
import re
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

import polib
import pytest

from languages import translation_status
from tests import factories

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "locale"
ROW = re.compile(
    r"^  (?P<code>[a-z]{2})  .*?(?P<strings>\d+)/(?P<total>\d+)\s+[\d.]+ %\s+(?P<pages>\d+)/(?P<pages_total>\d+)\s+(?P<share>[\d.]+) %"
)


@pytest.fixture
def tree(django_capture_on_commit_callbacks):
    """The Spanish home, a submunicipality, a neighbourhood and a work (4 live Spanish pages);
    the home page really translated into Aymara; in Quechua, only an alias of the home page."""
    # Publications finish on commit (wagtail-localize publishes translations then): run those callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        work = factories.work(title="Mejoramiento de la plaza")
    home = factories.home_page()
    aymara, quechua = Locale.objects.get(language_code="ay"), Locale.objects.get(language_code="qu")

    with django_capture_on_commit_callbacks(execute=True):
        source, _created = TranslationSource.get_or_create_from_instance(home)
        source.create_or_update_translation(aymara, publish=True, fallback=True)  # converts an alias if there is one
    if not Page.objects.filter(translation_key=home.translation_key, locale=quechua).exists():
        home.copy_for_translation(quechua, alias=True)
    assert Page.objects.get(translation_key=home.translation_key, locale=aymara).live
    return work


def run(*args):
    out = io.StringIO()
    call_command("translation_status", *args, stdout=out)
    return out.getvalue()


def rows(output):
    return {match["code"]: match for match in map(ROW.match, output.splitlines()) if match}


def test_pages_count_real_translations_only(tree):
    table = rows(run("--no-missing"))
    assert set(table) == {"es", "ay", "qu", "gn", "en"}
    assert (table["es"]["pages"], table["es"]["pages_total"], table["es"]["share"]) == ("4", "4", "100.0")
    assert (table["ay"]["pages"], table["ay"]["pages_total"], table["ay"]["share"]) == ("1", "4", "25.0")
    # Quechua's home page is an alias: it mirrors the Spanish page, it is not a translation.
    assert (table["qu"]["pages"], table["qu"]["share"]) == ("0", "0.0")


def test_aymara_lists_its_untranslated_pages_with_their_spanish_url(tree):
    output = run("--language", "ay")
    assert set(rows(output)) == {"ay"}
    pages = output.split("Pages not translated (3;", 1)[1]
    assert f"Mejoramiento de la plaza  {tree.get_url()}" in pages
    assert tree.get_url().startswith("/es/")
    assert "Mi Barrio  /es/" not in pages  # the home page is translated


def test_interface_shares_match_the_catalogs(tree):
    table = rows(run("--no-missing"))
    for code in ("es", "ay", "qu", "gn", "en"):
        po = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
        total = len([entry for entry in po if not entry.obsolete])
        assert (int(table[code]["strings"]), int(table[code]["total"])) == (len(po.translated_entries()), total)
    assert table["es"]["strings"] == table["es"]["total"]
    assert table["en"]["strings"] == table["en"]["total"]


def test_missing_interface_strings_are_listed_and_truncated(tree):
    output = run("--language", "qu", "--limit", "3")
    untranslated = polib.pofile(str(LOCALE / "qu" / "LC_MESSAGES" / "django.po")).untranslated_entries()
    assert f"Interface strings not translated ({len(untranslated)};" in output
    assert f"    - {untranslated[0].msgid}" in output
    assert f"… and {len(untranslated) - 3} more" in output


def test_complete_languages_and_no_missing_print_only_the_table(tree):
    assert "Interface strings not translated" not in run("--language", "es", "--language", "en")
    assert "not translated (" not in run("--no-missing")


def test_status_is_computed_from_the_data_not_the_text(tree):
    status = {item.code: item for item in translation_status.collect()}
    assert (status["ay"].pages.translated, status["ay"].pages.total) == (1, 4)
    assert [title for title, _url in status["ay"].pages.missing][-1] == "Mejoramiento de la plaza"
    assert status["es"].interface.missing == []


def test_unknown_language_is_refused():
    with pytest.raises(CommandError, match="Unknown language xx"):
        run("--language", "xx")


def test_percentages_never_round_up_to_complete():
    assert translation_status.percent(999 / 1000).strip() == "99.9 %"
    assert translation_status.percent(1).strip() == "100.0 %"


def test_a_translation_waiting_for_review_is_told_apart_from_a_published_one(tree):
    """Started (a draft, not published by a reviewer): counted and listed as waiting, not translated."""
    quechua = Locale.objects.get(language_code="qu")
    source, _created = TranslationSource.get_or_create_from_instance(tree)
    source.create_or_update_translation(quechua, publish=False, fallback=True, copy_parent_pages=True)

    output = run("--language", "qu")
    row = next(line for line in output.splitlines() if line.startswith("  qu  "))
    assert re.search(r"0/4\s+0\.0 %\s+1\b", row), row
    waiting = output.split("Translations waiting for review (1;", 1)[1].split("Pages not translated", 1)[0]
    assert f"Mejoramiento de la plaza  {tree.get_url()}" in waiting
    assert "Mejoramiento de la plaza" not in output.split("Pages not translated", 1)[1]
