import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_published_work_is_served_under_the_spanish_prefix(client):
    work = factories.work()
    response = client.get(work.url)
    assert work.url.startswith("/es/")
    assert response.status_code == 200
