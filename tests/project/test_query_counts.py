"""Public pages run a fixed number of SQL queries, however many works, neighbourhoods or photos they list.

Each page is requested once to warm what Wagtail keeps between requests (the site's root paths,
image renditions), then measured. The bounds are the counts measured when the templates were
written; a change that adds queries per listed item makes the "same count" tests fail, and one that
adds a fixed query somewhere makes the bound tests fail so the new query is a decision, not an accident.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

# Each includes one query for the page's translations (language switcher and hreflang alternates).
# Home, submunicipality and neighbourhood pages list their consultations: two queries (the view
# restrictions and the consultations).
HOME_QUERIES = 13
SUBMUNICIPALITY_QUERIES = 17
# The neighbourhood's "at a glance" adds 7: the latest progress update, this year's budget counted as
# the budget pages count it (default locale, home, restricted paths, published areas, the sums) and
# the submunicipality's office.
NEIGHBORHOOD_QUERIES = 26
WORK_QUERIES = 24
NEWS_QUERIES = 15


def count_queries(client, url):
    client.get(url)  # warm the site root paths and renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def assert_within(client, url, bound, django_assert_max_num_queries):
    client.get(url)
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200


def neighborhood_with_works(count):
    """A neighbourhood listing ``count`` works, each with its own category and contractor, and some news."""
    barrio = factories.neighborhood()
    with factories.without_search_index_updates():
        for _ in range(count):
            factories.work(barrio, contractor=factories.contractor())
    for _ in range(3):
        factories.news(barrio)
    return barrio


def submunicipality_with_neighborhoods(count):
    area = factories.submunicipality(image=factories.image())
    for _ in range(count):
        factories.neighborhood(area, image=factories.image())
    factories.news(area)
    return area


def work_with_media(size):
    work = factories.work(contractor=factories.contractor())
    factories.add_work_media(
        work,
        photos=size,
        documents=size,
        updates=[(datetime.date(2026, 1, 1) + datetime.timedelta(days=i), f"Avance {i}") for i in range(size)],
    )
    return work


def test_a_neighborhood_with_200_works_runs_as_many_queries_as_one_with_10(client, django_assert_max_num_queries):
    small = neighborhood_with_works(10)
    large = neighborhood_with_works(200)

    small_count = count_queries(client, small.url)
    large_count = count_queries(client, large.url)

    assert client.get(large.url).content.decode().count('class="card work-card"') == 200
    assert small_count == large_count
    assert_within(client, small.url, NEIGHBORHOOD_QUERIES, django_assert_max_num_queries)
    assert_within(client, large.url, NEIGHBORHOOD_QUERIES, django_assert_max_num_queries)


def test_a_submunicipality_with_20_neighborhoods_runs_as_many_queries_as_one_with_2(
    client, django_assert_max_num_queries
):
    small = submunicipality_with_neighborhoods(2)
    large = submunicipality_with_neighborhoods(20)

    assert count_queries(client, small.url) == count_queries(client, large.url)
    assert_within(client, small.url, SUBMUNICIPALITY_QUERIES, django_assert_max_num_queries)
    assert_within(client, large.url, SUBMUNICIPALITY_QUERIES, django_assert_max_num_queries)


def test_the_home_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    home = factories.home_page()
    first = factories.submunicipality()
    factories.news(first)
    before = count_queries(client, home.url)

    for _ in range(5):
        factories.news(factories.neighborhood(factories.submunicipality()))

    assert count_queries(client, home.url) == before
    assert_within(client, home.url, HOME_QUERIES, django_assert_max_num_queries)


def test_a_work_page_runs_a_fixed_number_of_queries_however_many_photos_documents_and_updates(
    client, django_assert_max_num_queries
):
    small = work_with_media(2)
    large = work_with_media(8)

    assert count_queries(client, small.url) == count_queries(client, large.url)
    assert_within(client, small.url, WORK_QUERIES, django_assert_max_num_queries)
    assert_within(client, large.url, WORK_QUERIES, django_assert_max_num_queries)


def test_a_news_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    barrio = factories.neighborhood()
    item = factories.news(
        barrio,
        image=factories.image(),
        body=[
            ("heading", "Detalles"),
            ("paragraph", "<p>La jornada empieza a las nueve.</p>"),
            ("link", {"text": "Más información", "url": "https://example.org/"}),
        ],
    )

    assert_within(client, item.url, NEWS_QUERIES, django_assert_max_num_queries)
