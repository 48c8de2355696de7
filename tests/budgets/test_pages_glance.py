"""The neighbourhood page at a glance, its works list filtered by plain links, and late works flagged.

Read in English (the pages' alias under /en/): the interface strings are English in the source,
so the tests do not depend on the Spanish catalog being up to date.
"""

import datetime
import re
from decimal import Decimal

from django.utils import timezone

import pytest

from tests import factories
from tests.project.test_pages_render import assert_page_shell, get_html, text
from works.models import WorkStatus, published_works

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def english(page):
    """The English version of ``page`` (its alias, made when the page was published)."""
    from wagtail.models import Locale

    return page.get_translation(Locale.objects.get(language_code="en"))


def en_html(client, page, query=""):
    return get_html(client, english(page).url + query)


def glance_of(markup):
    return markup.split('id="glance-heading"')[1].split('<section id="obras"')[0]


def works_section(markup):
    return markup.split('<section id="obras"')[1].split("</section>")[0]


def card_titles(markup):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', works_section(markup))


@pytest.fixture
def barrio():
    """Sopocachi: 3 works (in progress, planned, completed), budget lines this year and last, council, office."""
    with factories.aliases_made():
        return factories.neighborhood_for_bulletin(works=3)


def test_the_glance_counts_works_by_status_with_links_to_the_filtered_list(client, barrio):
    with factories.aliases_made():
        factories.work(barrio, title="Otra obra en curso", status=WorkStatus.IN_PROGRESS)

    glance = glance_of(en_html(client, barrio))

    assert '<a href="?estado=in_progress#obras"><span class="count">2</span> In progress</a>' in glance
    assert '<a href="?estado=planned#obras"><span class="count">1</span> Planned</a>' in glance
    assert '<a href="?estado=completed#obras"><span class="count">1</span> Completed</a>' in glance
    # A status with no work is not listed.
    assert "Paused" not in glance
    assert "Cancelled" not in glance


def test_the_glance_shows_the_latest_progress_update_with_its_work(client, barrio):
    older, newer = list(published_works(barrio))[:2]
    with factories.aliases_made():
        factories.add_work_media(older, updates=[(datetime.date(2026, 3, 1), "Se instaló la señalización")])
        factories.add_work_media(newer, updates=[(datetime.date(2026, 9, 15), "Se vació el hormigón de la losa")])

    glance = glance_of(en_html(client, barrio))

    assert "Se vació el hormigón de la losa" in glance
    assert "Se instaló la señalización" not in glance
    assert '<time datetime="2026-09-15">' in glance
    assert f'<a href="{english(newer).url}">{newer.title}</a>' in glance


def test_the_glance_shows_this_years_budget_and_not_other_years(client, barrio):
    spanish = text(glance_of(get_html(client, barrio.url)))
    glance = text(glance_of(en_html(client, barrio)))

    assert f"Budget {TODAY.year}" in glance
    assert "Bs\xa0350,000.00" in glance  # 300 000 + 50 000 this year; last year's 999 999 left out
    assert "Bs\xa0125,000.00" in glance
    assert "35.7" in glance
    assert "999,999" not in glance
    # The Spanish page shows the same figures, the Bolivian way.
    assert "Bs\xa0350.000,00" in spanish


def test_the_glance_says_so_when_this_year_has_no_budget(client):
    with factories.aliases_made():
        barrio = factories.neighborhood()
    factories.budget_line(barrio, fiscal_year=TODAY.year - 1, amount_allocated=Decimal("777000.00"))

    glance = text(glance_of(en_html(client, barrio)))

    assert f"No budget has been published for this neighbourhood for {TODAY.year} yet." in glance
    assert "777" not in glance


def test_the_glance_says_how_to_reach_the_submunicipality_and_the_council(client, barrio):
    glance = glance_of(en_html(client, barrio))

    assert "Av. 6 de Agosto 2170" in glance
    assert "Lunes a viernes, 8:30–16:30" in glance
    assert '<a href="tel:22650000">2 2650000</a>' in glance
    assert '<a href="mailto:cotahuma@example.org">cotahuma@example.org</a>' in glance
    assert f'<a href="{english(barrio.get_parent()).url}">Subalcaldía Cotahuma</a>' in glance
    assert "Junta Vecinal de Sopocachi" in glance
    assert "María Quispe" in glance
    assert '<a href="mailto:junta@example.org">junta@example.org</a>' in glance


def test_the_glance_of_an_empty_neighbourhood_says_there_is_nothing_yet(client):
    barrio = factories.neighborhood()

    markup = get_html(client, barrio.url)

    assert_page_shell(markup)
    assert '<h2 id="glance-heading">' in markup
    assert 'class="works-filter"' not in markup
    assert 'class="status-counts"' not in markup


def test_the_works_list_filters_by_status_with_a_removable_active_filter(client, barrio):
    assert_page_shell(get_html(client, barrio.url + "?estado=completed"))
    markup = en_html(client, barrio, "?estado=completed")

    assert card_titles(markup) == ["Obra 03 de Sopocachi"]
    section = works_section(markup)
    assert (
        '<a href="?estado=completed#obras" aria-current="true">Completed <span class="count">(1)</span></a>' in section
    )
    assert "Showing 1 of 3 works" in text(section)
    assert '<a href="?#obras">Remove the filter “Completed”' in section


def test_the_works_list_filters_by_category_code_or_id_with_counts_per_filter(client, barrio):
    roads = factories.category(name="Vías y calles", code="vias")
    parks = factories.category(name="Parques", code="parques")
    with factories.aliases_made():
        factories.work(barrio, title="Asfaltado calle 21", category=roads, status=WorkStatus.IN_PROGRESS)
        factories.work(barrio, title="Bacheo avenida 20 de Octubre", category=roads, status=WorkStatus.COMPLETED)
        factories.work(barrio, title="Plaza Abaroa", category=parks, status=WorkStatus.IN_PROGRESS)

    by_code = en_html(client, barrio, "?categoria=vias")
    by_id = en_html(client, barrio, f"?categoria={roads.pk}")

    assert card_titles(by_code) == ["Asfaltado calle 21", "Bacheo avenida 20 de Octubre"]
    assert card_titles(by_id) == card_titles(by_code)
    section = works_section(by_code)
    assert 'aria-current="true">Vías y calles <span class="count">(2)</span>' in section
    # Category links count within the chosen status, status links within the chosen category.
    assert (
        '<a href="?estado=in_progress&amp;categoria=vias#obras">In progress <span class="count">(1)</span></a>'
        in section
    )
    assert (
        '<a href="?estado=completed&amp;categoria=vias#obras">Completed <span class="count">(1)</span></a>' in section
    )
    assert "Planned" not in section.split("By category")[0]

    both = en_html(client, barrio, "?estado=in_progress&categoria=vias")
    assert card_titles(both) == ["Asfaltado calle 21"]
    section = works_section(both)
    assert '<a href="?categoria=vias#obras">Remove the filter “In progress”' in section
    assert '<a href="?estado=in_progress#obras">Remove the filter “Vías y calles”' in section
    assert (
        '<a href="?estado=in_progress&amp;categoria=parques#obras">Parques <span class="count">(1)</span></a>'
        in section
    )


@pytest.mark.parametrize(
    "query, note",
    [
        ("?estado=terminada", "The status “terminada” is not one this list knows: it was ignored."),
        ("?categoria=no-existe", "No work here is in the category “no-existe”: it was ignored."),
        ("?estado=%00%FF&categoria=<script>", "it was ignored"),
    ],
)
def test_an_unknown_filter_value_is_ignored_with_a_note_never_an_error(client, barrio, query, note):
    assert_page_shell(get_html(client, barrio.url + query))
    markup = en_html(client, barrio, query)

    assert note in text(markup)
    assert len(card_titles(markup)) == 3
    assert "<script>" not in works_section(markup)


def test_categories_are_in_the_readers_language(client):
    from wagtail.models import Locale

    roads = factories.category(name="Vías", code="vias")
    in_english = roads.copy_for_translation(Locale.objects.get(language_code="en"))
    in_english.name = "Roads"
    in_english.save()
    with factories.aliases_made():
        barrio = factories.neighborhood()
        factories.work(barrio, title="Asfaltado", category=roads, status=WorkStatus.PLANNED)

    section = works_section(en_html(client, barrio, "?categoria=vias"))

    assert 'aria-current="true">Roads <span class="count">(1)</span>' in section
    assert "Vías" not in section


# -- Late works --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, planned_end, actual_end, days",
    [
        (WorkStatus.IN_PROGRESS, TODAY - datetime.timedelta(days=10), None, 10),
        (WorkStatus.PAUSED, TODAY - datetime.timedelta(days=1), None, 1),
        (WorkStatus.PLANNED, TODAY - datetime.timedelta(days=3), None, 3),
        (WorkStatus.IN_PROGRESS, TODAY, None, 0),
        (WorkStatus.IN_PROGRESS, TODAY + datetime.timedelta(days=5), None, 0),
        (WorkStatus.IN_PROGRESS, None, None, 0),
        (WorkStatus.COMPLETED, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), 30),
        (WorkStatus.COMPLETED, datetime.date(2026, 3, 1), datetime.date(2026, 2, 20), 0),
        (WorkStatus.COMPLETED, TODAY - datetime.timedelta(days=100), None, 0),
        (WorkStatus.CANCELLED, TODAY - datetime.timedelta(days=100), None, 0),
    ],
)
def test_a_work_is_late_when_its_planned_end_has_passed_or_it_ended_after_it(status, planned_end, actual_end, days):
    from works.models import PublicWorkPage

    work = PublicWorkPage(status=status, planned_end=planned_end, actual_end=actual_end)

    assert work.days_late() == days
    assert work.is_late is (days > 0)


def test_late_works_are_flagged_on_their_page_and_on_their_card(client):
    with factories.aliases_made():
        barrio = factories.neighborhood()
        late = factories.work(
            barrio,
            title="Obra atrasada",
            planned_start=TODAY - datetime.timedelta(days=60),
            planned_end=TODAY - datetime.timedelta(days=12),
        )
        finished = factories.work(
            barrio,
            title="Obra concluida tarde",
            status=WorkStatus.COMPLETED,
            progress=100,
            planned_end=datetime.date(2026, 5, 1),
            actual_start=datetime.date(2026, 1, 10),
            actual_end=datetime.date(2026, 5, 2),
        )
        on_time = factories.work(barrio, title="Obra a tiempo", planned_end=TODAY + datetime.timedelta(days=30))

    assert_page_shell(get_html(client, late.url))
    late_page = text(en_html(client, late))
    finished_page = en_html(client, finished)
    on_time_page = en_html(client, on_time)
    cards = works_section(en_html(client, barrio))

    assert "Late: 12 days past its planned end" in late_page
    assert "Finished 1 day late" in text(finished_page)
    assert 'class="late-flag"' not in on_time_page
    late_card = cards.split("Obra atrasada")[1].split("</article>")[0]
    assert "Late: 12 days past its planned end" in text(late_card)
    assert "Finished 1 day late" in text(cards.split("Obra concluida tarde")[1].split("</article>")[0])
    assert 'class="late-flag"' not in cards.split("Obra a tiempo")[1].split("</article>")[0]
    # Planned and actual dates side by side.
    assert '<th scope="row">Planned</th>' in finished_page
    assert '<th scope="row">Actual</th>' in finished_page
    assert '<time datetime="2026-05-02">' in finished_page
