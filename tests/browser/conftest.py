"""Browser tests: Debian's Chromium, driven by Playwright for Python, against a live server.

The browser tests only read, so they share one small city and one live server, built once for
the package: the city is committed (the server's thread sees it, and each published page gets
its aliases in the other languages), and when the package is done the database is emptied and
given back what it held before (the locales and home pages made by the migrations), for the
tests that follow. The server is Django's ``LiveServerThread`` behind ``StaticFilesHandler``,
so pages load with their stylesheet.

Chromium is Debian's (``apt-get install chromium``), never one downloaded by ``playwright
install``; a missing one fails the tests with that hint rather than skipping them silently.
"""

import datetime
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings

from wagtail.models import Locale

import pytest

from tests import factories
from tests.browser.participation import participation  # noqa: F401 - a fixture of the participation tests

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

BROWSER_TEST = pytest.mark.browser


def _chromium_or_fail():
    if CHROMIUM.exists() or shutil.which(str(CHROMIUM)):
        return str(CHROMIUM)
    pytest.fail(
        f"The browser tests need Debian's Chromium at {CHROMIUM} (CHROMIUM=<path> names another): "
        "install it with `sudo apt-get install chromium`, or leave these tests out with "
        "`pytest -m 'not browser'`.",
        pytrace=False,
    )


@pytest.fixture(scope="package")
def _locale_sync_ignores_restored_rows():
    """Let the database be restored from its serialized copy (see ``live_site``).

    wagtail-localize's post_save receiver syncs the page trees even for a raw save (loaddata,
    or Django restoring a serialized database), when the synchronised locale may not be back
    yet; it then fails with ``Locale.DoesNotExist``. While the browser tests run, raw saves
    skip it, as Django advises receivers to do.
    """
    from django.db.models.signals import post_save

    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    def unless_raw(instance, raw=False, **kwargs):
        if not raw:
            sync_trees_on_locale_sync_save(instance=instance, raw=raw, **kwargs)

    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    post_save.connect(unless_raw, sender=LocaleSynchronization, weak=False)
    yield
    post_save.disconnect(unless_raw, sender=LocaleSynchronization)
    post_save.connect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all the browser tests, closed when they are done.

    Playwright's synchronous API keeps an asyncio loop running in this thread while it is open;
    Django refuses database calls from a thread with a running loop unless told the code is
    synchronous, which it is here (the tests read the database between browser calls).
    """
    executable = _chromium_or_fail()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_site):
    """Open pages in fresh browser contexts: ``new_page(java_script_enabled=False, viewport=...)``.

    Each context asks for Spanish (``Accept-Language: es``) unless given another ``locale`` and
    resolves relative addresses against the live server. Whatever the browser refuses under the
    Content-Security-Policy (public pages' or the admin's) fails the test that opened the page.
    """
    contexts, refused = [], []

    def watch(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{message.page.url if message.page else ''}: {message.text}")

    def open_page(**options):
        options.setdefault("locale", "es")
        context = browser.new_context(base_url=live_site.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not refused, "refused by the Content-Security-Policy:\n" + "\n".join(refused)


@pytest.fixture
def page(new_page):
    """A page of a Spanish-speaking resident's browser, with JavaScript."""
    return new_page()


@pytest.fixture
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(
            f"The accessibility tests need axe-core at {AXE_JS}: run `npm ci` (or `make test`) at the project's root.",
            pytrace=False,
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def _media_and_cache():
    """Replaces tests/conftest.py's: the city's uploads stay in the package's media folder."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="package")
def live_site(django_db_setup, django_db_blocker, _locale_sync_ignores_restored_rows, tmp_path_factory):
    """The small city, committed, served by a live server; the database restored afterwards."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.test import override_settings
    from django.test.testcases import LiveServerThread

    connection = connections[DEFAULT_DB_ALIAS]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        # pytest-django creates the test database only if a test asks for it (the browser tests do
        # not: they read what this fixture commits); when only browser tests run, create it here.
        # Never build on, empty and restore a database that is not the test suite's own.
        created = None
        if not _is_test_database(connection):
            from django.test.utils import setup_databases

            created = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
            if not _is_test_database(connection):
                pytest.fail(f"The browser tests would use {connection.settings_dict['NAME']}.", pytrace=False)
        before = connection.creation.serialize_db_to_string()
        # An in-memory SQLite database exists only in this connection: the server's thread shares it.
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        shared = {connection.alias: connection} if in_memory else {}
        for shared_connection in shared.values():
            shared_connection.inc_thread_sharing()
        server = LiveServerThread("localhost", StaticFilesHandler, connections_override=shared, port=0)
        server.daemon = True
        try:
            city = build_city()
            server.start()
            server.is_ready.wait()
            if server.error:
                raise server.error
            yield SimpleNamespace(url=f"http://localhost:{server.port}", city=city)
        finally:
            if server.is_alive():
                server.terminate()
            for shared_connection in shared.values():
                shared_connection.dec_thread_sharing()
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            if created is not None:
                from django.test.utils import teardown_databases

                teardown_databases(created, verbosity=0)


def _is_test_database(connection):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    name = str(connection.settings_dict["NAME"])
    return name == connection.settings_dict["TEST"]["NAME"] or Path(name).name.startswith("test_")


@pytest.fixture
def city(live_site):
    return live_site.city


def build_city():
    """A small city: one submunicipality, two neighbourhoods, three works, news and budget lines.

    Contacts, body blocks, images, documents and a timeline entry are filled in so that the
    accessibility checks see every part of the templates. Built like an editor would and
    committed, with the aliases of every page in the other languages (the Spanish text under
    /ay/, /qu/, ...).
    """
    with factories.aliases_made():
        area = factories.submunicipality(
            "Max Paredes", office_address="Av. Buenos Aires 1234", phone="2-2456789", email="maxparedes@example.org"
        )
        villa = factories.neighborhood(
            area,
            "Villa Victoria",
            population=12500,
            council_name="Junta Vecinal de Villa Victoria",
            council_phone="71234567",
            body=[
                ("heading", "Historia del barrio"),
                ("paragraph", "<p>Un barrio de <a href='https://example.org/historia'>calles empinadas</a>.</p>"),
                ("link", {"text": "Mapa del barrio", "url": "https://example.org/mapa"}),
            ],
        )
        chamoco = factories.neighborhood(area, "Chamoco Chico")
        roads = factories.category("Vías", code="vias")
        street = factories.work(villa, "Pavimentado de la calle Tumusla", category=roads)
        factories.work(villa, "Muro de contención en la calle 3", category=roads, progress=80)
        factories.work(chamoco, "Graderías del mercado", category=factories.category("Mercados", code="mercados"))
        factories.add_work_media(
            street, photos=1, documents=1, updates=[(datetime.date(2026, 10, 1), "Se colocó el adoquín.")]
        )
        notice = factories.news(
            villa,
            "Vecinos de Villa Victoria reciben la calle Tumusla",
            image=factories.image(title="La calle Tumusla adoquinada"),
            body=[("paragraph", "<p>La entrega fue el sábado.</p>")],
        )
        factories.budget_line(area, category=roads, description="Mantenimiento de vías de la subalcaldía")
        factories.budget_line(villa, category=roads, description="Pavimentado de calles del barrio")
    pages = {"submunicipality": area, "neighbourhood": villa, "work": street, "news": notice}
    urls = {
        code: {name: page.get_translation(Locale.objects.get(language_code=code)).url for name, page in pages.items()}
        for code in ("es", "ay")
    }
    return SimpleNamespace(
        area=area, neighborhood=villa, other_neighborhood=chamoco, work=street, news=notice, urls=urls
    )
