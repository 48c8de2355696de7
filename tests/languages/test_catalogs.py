"""The interface speaks every language: complete Spanish and English catalogs, compiled, and used.

The interface strings are written in English; Spanish is the default language, so its catalog
translates every string, and the English catalog repeats each one (else English readers would
fall back to Spanish). Aymara, Quechua and Guaraní translate what the human translators have
done; what they have not shows in Spanish, never in English.
"""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

import polib
import pytest

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGUAGES = ["es", "en", "ay", "qu", "gn"]
# What `make messages` does not extract from (see the Makefile).
NOT_SCANNED = {".venv", "tests", "static", "media", "bench", "node_modules", ".git"}


def catalog(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def key(entry):
    return (entry.msgctxt, entry.msgid)


def value(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def project_files(suffix):
    for path in sorted(ROOT.rglob(f"*{suffix}")):
        if not NOT_SCANNED.intersection(path.relative_to(ROOT).parts):
            yield path


# --- The catalog files ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_parses_and_declares_its_language_and_plural_forms(language):
    po = catalog(language)
    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not po.obsolete_entries()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_compiled_catalog_is_up_to_date_with_its_po(language):
    po = catalog(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {key(entry): value(entry) for entry in mo}
    expected = {key(entry): value(entry) for entry in po.translated_entries()}
    assert compiled == expected, "run 'python manage.py compile_catalogs' and commit the .mo files"
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


def test_spanish_catalog_is_complete():
    po = catalog("es")
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_english_catalog_repeats_every_source_string():
    po = catalog("en")
    for entry in po:
        assert not entry.fuzzy, entry.msgid
        if entry.msgid_plural:
            assert entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}
        else:
            assert entry.msgstr == entry.msgid


def test_every_catalog_has_the_same_strings():
    strings = {language: {key(entry) for entry in catalog(language)} for language in LANGUAGES}
    for language in LANGUAGES:
        assert strings[language] == strings["es"], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    placeholder = re.compile(r"%(?:\([^)]+\))?[sd%]")
    for entry in catalog(language).translated_entries():
        if not entry.msgid_plural:
            assert sorted(placeholder.findall(entry.msgstr)) == sorted(placeholder.findall(entry.msgid)), entry.msgid
            continue
        # The singular may leave the count out ("One work…"), as its source does; every form keeps
        # the placeholders its source form has.
        for index, text in entry.msgstr_plural.items():
            source = entry.msgid if index == 0 else entry.msgid_plural
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(source)), (entry.msgid, text)


@pytest.mark.parametrize("language", ["ay", "qu", "gn"])
def test_indigenous_language_catalogs_say_empty_entries_fall_back_to_spanish(language):
    po = catalog(language)
    assert "fall back to Spanish" in po.header
    assert "human" in po.header and "translators" in po.header


# --- Every marked string is in the catalogs ----------------------------------------------------

STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATE_CALL = re.compile(rf"\b(gettext|ngettext|pgettext|npgettext)\(\s*((?:{STRING}\s*,?\s*)+)")
GETTEXT_FUNCTIONS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}


def template_msgids():
    """(context, msgid) of every {% translate %} and {% blocktranslate %} in the templates."""
    found = set()
    for path in project_files(".html"):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for function, arguments in TEMPLATE_CALL.findall(code):
            strings = [ast.literal_eval(text) for text in re.findall(STRING, arguments)]
            context = strings.pop(0) if function.startswith(("pgettext", "npgettext")) else None
            found.add((context, strings[0], path.relative_to(ROOT)))
    return found


def python_msgids():
    """(context, msgid) of every gettext call with literal strings in the project's Python files."""
    found = set()
    for path in project_files(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            roles = GETTEXT_FUNCTIONS.get(name)
            if not roles or len(node.args) < len(roles):
                continue
            values = dict(zip(roles, node.args, strict=False))
            if not all(
                isinstance(values[role], ast.Constant) and isinstance(values[role].value, str) for role in roles
            ):
                continue
            context = values["context"].value if "context" in values else None
            found.add((context, values["msgid"].value, path.relative_to(ROOT)))
    return found


def test_the_extraction_finds_strings_of_templates_and_python():
    # Guards the two helpers above: an extraction finding nothing would make the next test pass.
    templates = {msgid for _context, msgid, _path in template_msgids()}
    python = {msgid for _context, msgid, _path in python_msgids()}
    assert {"Page not found", "Progress updates", "%(rate)s %% of the budget"} <= templates
    assert {"Progress is a percentage between 0 and 100.", "In progress", "Spanish"} <= python


def test_every_marked_string_is_in_the_catalogs():
    in_catalog = {key(entry) for entry in catalog("es")}
    missing = sorted(
        f"{path}: {msgid!r}"
        for context, msgid, path in template_msgids() | python_msgids()
        if (context, msgid) not in in_catalog
    )
    assert missing == [], "run 'make messages' and translate the new Spanish entries"


# --- What readers see ---------------------------------------------------------------------------


@pytest.fixture
def work_page(django_capture_on_commit_callbacks):
    """A published work in progress, reachable under every language prefix.

    Run the publication's on-commit callbacks, as a real request would: they give the page its
    aliases in the other languages' trees (languages/aliases.py), through which /ay/… serves it.
    """
    from works.models import WorkStatus

    with django_capture_on_commit_callbacks(execute=True):
        return factories.work(status=WorkStatus.IN_PROGRESS)


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", response.content.decode())


def in_language(page, language):
    """The page's URL under another language prefix (/es/… → /ay/…)."""
    url = page.get_url()
    assert url.startswith("/es/")
    return f"/{language}/{url.removeprefix('/es/')}"


@pytest.mark.django_db
def test_spanish_work_page_speaks_spanish(client, work_page):
    text = page_text(client, in_language(work_page, "es"))
    for words in ("Presupuesto", "En ejecución", "Avances", "Datos de la obra", "Contratista", "Buscar"):
        assert words in text
    for words in ("Budget", "In progress", "Progress updates", "About this work"):
        assert words not in text
    neighbourhood = page_text(client, in_language(work_page.get_parent(), "es"))
    assert "Obras públicas" in neighbourhood and "Public works" not in neighbourhood


@pytest.mark.django_db
def test_english_work_page_speaks_english(client, work_page):
    text = page_text(client, in_language(work_page, "en"))
    for words in ("Budget", "In progress", "Progress updates", "About this work", "Search"):
        assert words in text
    for words in ("Presupuesto", "En ejecución", "Avances"):
        assert words not in text
    neighbourhood = page_text(client, in_language(work_page.get_parent(), "en"))
    assert "Public works" in neighbourhood and "Obras públicas" not in neighbourhood


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ay", "qu", "gn"])
def test_untranslated_interface_strings_fall_back_to_spanish_not_english(client, work_page, language):
    untranslated = {entry.msgid for entry in catalog(language).untranslated_entries()}
    assert {"Budget", "In progress", "Progress updates"} <= untranslated
    response = client.get(in_language(work_page, language))
    assert response.status_code == 200
    assert response["Content-Language"] == language
    text = re.sub(r"\s+", " ", response.content.decode())
    assert f'<html lang="{language}"' in text
    for words in ("Presupuesto", "En ejecución", "Avances"):
        assert words in text
    for words in ("Budget", "In progress", "Progress updates"):
        assert words not in text


@pytest.mark.parametrize(
    ("language", "msgid", "name"),
    [
        ("ay", "Aymara", "Aymar aru"),
        ("qu", "Quechua", "Runasimi"),
        ("gn", "Guarani", "Avañe'ẽ"),
        ("es", "Guarani", "Guaraní"),
    ],
)
def test_each_indigenous_catalog_names_its_own_language(language, msgid, name):
    with translation.override(language):
        assert translation.gettext(msgid) == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "other"),
    [("en", "Page not found", "Página no encontrada"), ("es", "Página no encontrada", "Page not found")],
)
def test_not_found_page_speaks_the_readers_language(client, language, heading, other):
    factories.home_page()  # the site exists
    response = client.get(f"/{language}/no-such-page-here/")
    assert response.status_code == 404
    text = response.content.decode()
    assert heading in text and other not in text


@pytest.mark.parametrize(
    ("language", "heading"), [("es", "Algo salió mal"), ("en", "Something went wrong"), ("ay", "Algo salió mal")]
)
def test_server_error_page_speaks_the_readers_language(language, heading):
    from django.template.loader import render_to_string

    with translation.override(language):
        assert heading in render_to_string("500.html")


@pytest.mark.django_db
def test_validation_errors_are_spanish_when_spanish_is_active():
    from django.core.exceptions import ValidationError

    work = factories.work()
    work.progress = 101
    with translation.override("es"), pytest.raises(ValidationError) as caught:
        work.full_clean()
    with translation.override("es"):
        assert caught.value.message_dict["progress"] == ["El avance es un porcentaje entre 0 y 100."]


def test_locale_paths_hold_these_catalogs():
    assert LOCALE in [Path(path) for path in settings.LOCALE_PATHS]


# Our catalog comes first (LOCALE_PATHS), so a msgid that Django or Wagtail also use is shown with
# *our* wording in their admin too. Keep theirs, except where a differing wording is deliberate.
OVERRIDES_OF_FRAMEWORK_WORDING = {
    "Search": "'Buscar' rather than Wagtail's 'Búsqueda', as a button label",
}


def test_spanish_keeps_the_frameworks_wording_of_shared_strings():
    import django

    import wagtail

    ours = {entry.msgid: entry.msgstr for entry in catalog("es") if not entry.msgid_plural and not entry.msgctxt}
    theirs = {}  # msgid -> their Spanish wordings (Wagtail is not always consistent with itself)
    for package in (Path(django.__file__).parent, Path(wagtail.__file__).parent):
        for path in package.glob("**/locale/es/LC_MESSAGES/django.po"):
            for entry in polib.pofile(str(path)):
                if entry.msgid in ours and entry.msgstr and not entry.msgctxt and not entry.msgid_plural:
                    theirs.setdefault(entry.msgid, set()).add(entry.msgstr)
    differing = {
        msgid: (ours[msgid], sorted(wordings))
        for msgid, wordings in theirs.items()
        if ours[msgid] not in wordings and msgid not in OVERRIDES_OF_FRAMEWORK_WORDING
    }
    assert differing == {}


def test_work_statuses_have_their_own_context_and_leave_wagtails_workflow_states_alone():
    from django.utils import translation

    from works.models import WorkStatus

    with translation.override("es"):
        assert str(WorkStatus.IN_PROGRESS.label) == "En ejecución"
        assert str(WorkStatus.CANCELLED.label) == "Cancelada"
        # Wagtail's workflow states keep Wagtail's own Spanish.
        assert translation.gettext("In progress") == "En progreso"
        assert translation.gettext("Cancelled") == "Cancelado"
