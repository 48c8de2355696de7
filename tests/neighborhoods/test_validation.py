"""Bad values on places and works get a clear error on the right field, and nothing is saved."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from neighborhoods.geo import validate_boundary
from neighborhoods.models import SubmunicipalityPage
from tests import factories
from works.models import PublicWorkPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Read the messages in their English source wording (tests/languages/test_catalogs.py checks the Spanish)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def field_errors(page):
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    return caught.value.message_dict


# --- GeoJSON boundaries --------------------------------------------------------------------

RING = [[-68.14, -16.51], [-68.12, -16.51], [-68.12, -16.49], [-68.14, -16.51]]


@pytest.mark.parametrize(
    "boundary",
    [
        {"type": "Polygon", "coordinates": [RING]},
        {"type": "MultiPolygon", "coordinates": [[RING], [RING]]},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [RING]}},
    ],
)
def test_polygons_and_multipolygons_are_accepted(boundary):
    validate_boundary(boundary)


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ({"type": "Point", "coordinates": [-68.1, -16.5]}, "Polygon or MultiPolygon"),
        ({"type": "LineString", "coordinates": RING}, "Polygon or MultiPolygon"),
        ([1, 2, 3], "GeoJSON object"),
        ({"type": "Polygon", "coordinates": []}, "at least one ring"),
        ({"type": "Polygon", "coordinates": [RING[:3]]}, "at least four positions"),
        ({"type": "Polygon", "coordinates": [[*RING[:3], [-68.0, -16.0]]]}, "not closed"),
        ({"type": "Polygon", "coordinates": [[["a", "b"], *RING[1:]]]}, "pair of numbers"),
        ({"type": "Polygon", "coordinates": [[[200, 10], [201, 10], [201, 11], [200, 10]]]}, "outside the valid range"),
    ],
)
def test_malformed_boundaries_are_refused_with_a_reason(boundary, message):
    with pytest.raises(ValidationError) as caught:
        validate_boundary(boundary)
    assert message in " ".join(caught.value.messages)


def test_a_submunicipality_with_a_point_for_boundary_fails_on_the_boundary_field():
    page = SubmunicipalityPage(title="Centro", slug="centro", boundary={"type": "Point", "coordinates": [0, 0]})
    assert "boundary" in field_errors(page)


# --- Works -----------------------------------------------------------------------------------


def test_progress_above_100_fails_on_progress():
    work = factories.work()
    work.progress = 101
    assert "Progress is a percentage between 0 and 100." in field_errors(work)["progress"]


def test_end_before_start_fails_on_the_end_date():
    import datetime

    work = factories.work()
    work.planned_start, work.planned_end = datetime.date(2026, 5, 1), datetime.date(2026, 4, 1)
    work.actual_start, work.actual_end = datetime.date(2026, 5, 1), datetime.date(2026, 4, 30)
    errors = field_errors(work)
    assert "planned_end" in errors and "actual_end" in errors


def test_spending_more_than_the_budget_needs_a_note():
    work = factories.work(budget=Decimal("1000.00"), amount_executed=Decimal("100.00"))
    work.amount_executed = Decimal("1000.01")
    assert "overrun_note" in field_errors(work)
    work.overrun_note = "Precio del cemento subió; adenda aprobada por el concejo."
    work.full_clean()


@pytest.mark.parametrize(("lat", "lng", "field"), [("-91", "-68.1", "latitude"), ("-16.5", "181", "longitude")])
def test_coordinates_out_of_range_fail_on_their_field(lat, lng, field):
    work = factories.work()
    work.latitude, work.longitude = Decimal(lat), Decimal(lng)
    assert field in field_errors(work)


def test_a_project_code_is_unique_within_a_language():
    first = factories.work(project_code="OB-2026-0001")
    second = factories.work(parent=first.get_parent().specific)
    second.project_code = "OB-2026-0001"
    assert "project_code" in field_errors(second)


def test_the_database_refuses_a_duplicate_project_code_even_without_validation():
    from django.db import IntegrityError, transaction

    first = factories.work(project_code="OB-2026-0002")
    second = factories.work(parent=first.get_parent().specific, project_code="OB-2026-0003")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicWorkPage.objects.filter(pk=second.pk).update(code_in_locale=first.code_in_locale)


# --- Through the admin: the error is on the field and the stored page is unchanged ----------


def work_form(work, **overrides):
    data = {
        "title": work.title,
        "slug": work.slug,
        "project_code": work.project_code,
        "category": work.category_id,
        "summary": work.summary,
        "description": rich_text(""),
        "status": work.status,
        "progress": work.progress,
        "contractor": "",
        "planned_start": "",
        "planned_end": "",
        "actual_start": "",
        "actual_end": "",
        "budget": str(work.budget),
        "amount_executed": str(work.amount_executed),
        "overrun_note": "",
        "latitude": str(work.latitude),
        "longitude": str(work.longitude),
        "photos": inline_formset([]),
        "documents": inline_formset([]),
        "updates": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.user("admin", superuser=True))
    return client


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"progress": "150"}, "progress"),
        ({"planned_start": "2026-06-01", "planned_end": "2026-01-01"}, "planned_end"),
        ({"amount_executed": "999999.00"}, "overrun_note"),
        ({"latitude": "-95"}, "latitude"),
    ],
)
def test_admin_edit_with_a_bad_value_shows_the_error_and_saves_nothing(admin_client, overrides, field):
    work = factories.work()
    revisions_before = work.revisions.count()
    response = admin_client.post(f"/admin/pages/{work.pk}/edit/", work_form(work, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    stored = PublicWorkPage.objects.get(pk=work.pk)
    assert stored.revisions.count() == revisions_before
    assert (stored.progress, stored.budget, stored.amount_executed) == (
        work.progress,
        work.budget,
        work.amount_executed,
    )


def test_admin_edit_with_good_values_is_saved(admin_client):
    work = factories.work()
    response = admin_client.post(f"/admin/pages/{work.pk}/edit/", work_form(work, progress="60"))
    assert response.status_code == 302
    assert PublicWorkPage.objects.get(pk=work.pk).get_latest_revision_as_object().progress == 60


def test_admin_refuses_invalid_boundary_json_on_the_field(admin_client):
    area = factories.submunicipality()
    data = {
        "title": area.title,
        "slug": area.slug,
        "summary": "",
        "office_address": "",
        "opening_hours": "",
        "phone": "",
        "email": "",
        "image": "",
        "boundary": '{"type": "Polygon", "coordinates": [[[1,2]',
    }
    response = admin_client.post(f"/admin/pages/{area.pk}/edit/", data)
    assert response.status_code == 200
    assert "boundary" in response.context["form"].errors
    assert SubmunicipalityPage.objects.get(pk=area.pk).boundary == factories.SQUARE
