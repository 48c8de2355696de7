"""`manage.py load_demo`: a complete, valid, clearly-labelled and repeatable demo city.

Loading the demo publishes about a hundred pages, so the tests share one load (``demo_city``,
rolled back after the class); each test's own changes are rolled back after it, as usual.
"""

import io
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision

import pytest

from budgets.models import BudgetLine
from demo import city as demo
from neighborhoods.geo import boundary_geometry, validate_boundary
from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
from participation.models import ConsultationHearing, ConsultationPage, ConsultationStatus, FeedbackFormPage, Submission
from teams.governance import TRANSLATORS_GROUP
from teams.models import AreaTeam
from tests import factories
from works.models import (
    Contractor,
    PublicWorkPage,
    PublicWorkPhoto,
    PublicWorkUpdate,
    WorkCategory,
    WorkStatus,
)

pytestmark = pytest.mark.django_db


# ---- geometry helpers -----------------------------------------------------------------------


def outer_ring(boundary):
    geometry = boundary_geometry(boundary)
    assert geometry["type"] == "Polygon"
    return geometry["coordinates"][0]


def point_in_polygon(longitude, latitude, ring):
    """Ray casting: is (longitude, latitude) strictly inside the closed ring?"""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > latitude) != (y2 > latitude):
            crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < crossing:
                inside = not inside
    return inside


def bounding_box(boundary):
    ring = outer_ring(boundary)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def box_inside(inner, outer):
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def boxes_overlap(a, b):
    """True when the boxes share some area (touching edges is not overlapping)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def counts():
    """What a second run must not change."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "categories": WorkCategory.objects.count(),
        "contractors": Contractor.objects.count(),
        "photos": PublicWorkPhoto.objects.count(),
        "updates": PublicWorkUpdate.objects.count(),
        "area teams": AreaTeam.objects.count(),
        "budget lines": BudgetLine.objects.count(),
        "consultations": ConsultationPage.objects.count(),
        "feedback forms": FeedbackFormPage.objects.count(),
        "submissions": Submission.objects.count(),
    }


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


# ---- one shared load of the demo ------------------------------------------------------------


@dataclass
class DemoCity:
    output: str
    media_root: Path


@pytest.fixture(scope="class")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the class inside a transaction that is rolled back afterwards."""
    from django.test import override_settings

    media_root = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield DemoCity(output=load_demo(), media_root=media_root)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.usefixtures("demo_city")
class TestTheDemoCity:
    def test_it_has_at_least_four_areas_sixteen_neighbourhoods_and_forty_eight_works(self):
        assert SubmunicipalityPage.objects.count() >= 4
        assert NeighborhoodPage.objects.count() >= 16
        assert PublicWorkPage.objects.count() >= 48
        for area in SubmunicipalityPage.objects.all():
            assert NeighborhoodPage.objects.child_of(area).count() >= 4
        for neighborhood in NeighborhoodPage.objects.all():
            assert PublicWorkPage.objects.child_of(neighborhood).count() >= 3
        assert NewsPage.objects.child_of(SubmunicipalityPage.objects.first()).exists()
        assert NewsPage.objects.child_of(NeighborhoodPage.objects.first()).exists()

    def test_works_use_every_status_and_every_category(self):
        assert set(PublicWorkPage.objects.values_list("status", flat=True)) == set(WorkStatus.values)
        used = set(PublicWorkPage.objects.values_list("category__code", flat=True))
        assert used == set(WorkCategory.objects.values_list("code", flat=True))
        assert {"roads", "water-sanitation", "parks", "health", "education", "lighting"} <= used

    def test_every_area_and_neighbourhood_has_a_valid_boundary_around_la_paz(self):
        for page in [*SubmunicipalityPage.objects.all(), *NeighborhoodPage.objects.all()]:
            assert page.boundary, page.title
            validate_boundary(page.boundary)
            for longitude, latitude in outer_ring(page.boundary):
                assert -68.17 <= longitude <= -68.05, page.title
                assert -16.58 <= latitude <= -16.45, page.title

    def test_areas_do_not_overlap(self):
        boxes = {area.title: bounding_box(area.boundary) for area in SubmunicipalityPage.objects.all()}
        for name, box in boxes.items():
            for other, other_box in boxes.items():
                if name != other:
                    assert not boxes_overlap(box, other_box), (name, other)

    def test_neighbourhoods_lie_inside_their_area_and_apart_from_each_other(self):
        for area in SubmunicipalityPage.objects.all():
            area_box = bounding_box(area.boundary)
            boxes = {n.title: bounding_box(n.boundary) for n in NeighborhoodPage.objects.child_of(area)}
            for name, box in boxes.items():
                assert box_inside(box, area_box), (area.title, name)
                for other, other_box in boxes.items():
                    if name != other:
                        assert not boxes_overlap(box, other_box), (name, other)

    def test_every_neighbourhood_centre_and_work_is_inside_its_neighbourhood(self):
        for neighborhood in NeighborhoodPage.objects.all():
            ring = outer_ring(neighborhood.boundary)
            assert point_in_polygon(float(neighborhood.center_longitude), float(neighborhood.center_latitude), ring)
            for work in PublicWorkPage.objects.child_of(neighborhood):
                assert work.has_location, work.title
                assert point_in_polygon(float(work.longitude), float(work.latitude), ring), work.title

    def test_money_dates_and_progress_are_consistent_with_each_status(self):
        for work in PublicWorkPage.objects.all():
            assert work.budget > 0
            assert work.amount_executed <= work.budget or work.overrun_note.strip(), work.title
            assert work.planned_start and work.planned_end and work.planned_end > work.planned_start
            if work.actual_start and work.actual_end:
                assert work.actual_end > work.actual_start
            if work.status == WorkStatus.PLANNED:
                assert (work.progress, work.amount_executed, work.actual_start) == (0, 0, None)
            elif work.status == WorkStatus.COMPLETED:
                assert work.progress == 100 and work.actual_end is not None
            elif work.status in (WorkStatus.IN_PROGRESS, WorkStatus.PAUSED):
                assert 0 < work.progress < 100 and work.actual_start and work.actual_end is None
            else:
                assert work.progress < 100 and work.actual_end is None
            assert work.updates.exists(), work.title
            assert all(work.updates.values_list("date", flat=True)), work.title

    def test_every_page_is_published_in_spanish_valid_and_labelled_as_demo(self):
        spanish = Locale.get_default()
        pages = [
            *SubmunicipalityPage.objects.all(),
            *NeighborhoodPage.objects.all(),
            *PublicWorkPage.objects.all(),
            *NewsPage.objects.all(),
        ]
        for page in pages:
            assert page.live and page.live_revision_id, page.title
            assert page.locale == spanish
            page.full_clean()
            label = page.intro if isinstance(page, NewsPage) else page.summary
            assert label.startswith("[Demo]"), page.title

    def test_images_live_in_their_area_collection_and_illustrate_pages_and_works(self):
        for area in SubmunicipalityPage.objects.all():
            collection = AreaTeam.objects.get(translation_key=area.translation_key).collection
            assert area.image is not None and area.image.collection == collection
            for neighborhood in NeighborhoodPage.objects.child_of(area):
                assert neighborhood.image.collection == collection
            photos = PublicWorkPhoto.objects.filter(page__in=PublicWorkPage.objects.descendant_of(area))
            assert photos.exists()
            assert {photo.image.collection for photo in photos} == {collection}
        assert get_image_model().objects.count() <= 5 * SubmunicipalityPage.objects.count()
        # Editors must describe every image (its alt text); the demo does too.
        assert not get_image_model().objects.filter(description="").exists()

    def test_every_area_has_budget_lines_for_three_years_linked_to_its_works(self):
        from demo.city import BUDGET_YEARS

        for area in list(NeighborhoodPage.objects.all()) + list(SubmunicipalityPage.objects.all()):
            years = set(BudgetLine.objects.filter(area=area).values_list("fiscal_year", flat=True))
            assert years == set(BUDGET_YEARS), area.title
        for work in PublicWorkPage.objects.all():
            lines = BudgetLine.objects.filter(work=work)
            assert lines.count() == len(BUDGET_YEARS)
            assert {line.area_id for line in lines} == {work.get_parent().pk}
            assert sum(line.amount_allocated for line in lines) == pytest.approx(work.budget, abs=Decimal("0.05"))
        for line in BudgetLine.objects.all():
            line.full_clean()  # executed never above allocated, area and work consistent

    def test_every_area_has_an_upcoming_an_open_and_a_closed_consultation(self):
        for area in SubmunicipalityPage.objects.all():
            consultations = ConsultationPage.objects.descendant_of(area)
            assert {c.status for c in consultations} == set(ConsultationStatus.values), area.title
            for consultation in consultations:
                assert consultation.live and consultation.context.startswith(f"<p>{demo.DEMO_SENTENCE}")
                consultation.full_clean()
                if consultation.status == ConsultationStatus.CLOSED:
                    assert consultation.results_summary and consultation.response, consultation.title
                else:
                    assert not consultation.results_summary, consultation.title
            hearings = ConsultationHearing.objects.filter(page__in=consultations)
            assert hearings.filter(starts_at__gt=timezone.now()).exists(), area.title  # one still to come
            assert all(hearing.place for hearing in hearings)

    def test_consultation_forms_ask_every_kind_of_question_and_personal_data_is_optional(self):
        for consultation in ConsultationPage.objects.all():
            fields = list(consultation.form_fields.all())
            kinds = {field.field_type for field in fields}
            assert {"singleline", "multiline", "radio", "checkboxes", "number", "date"} <= kinds
            personal = [field for field in fields if field.personal_data]
            assert personal and not any(field.required for field in personal)
            assert consultation.personal_data_notice

    def test_each_area_has_a_feedback_form_shown_on_neighbourhood_work_and_news_pages(self):
        for area in SubmunicipalityPage.objects.all():
            forms = FeedbackFormPage.objects.descendant_of(area)
            assert forms.count() == 1, area.title
            form = forms.get()
            for model in (NeighborhoodPage, PublicWorkPage, NewsPage):
                showing = model.objects.filter(feedback_form=form)
                assert showing.exists(), (area.title, model.__name__)
                assert all(page.is_descendant_of(area) for page in showing)

    def test_submissions_come_through_several_channels_and_languages(self):
        submissions = Submission.objects.all()
        assert len({s.channel for s in submissions}) >= 3
        assert {"web", "paper", "phone", "hearing"} <= {s.channel for s in submissions}
        assert len({s.language for s in submissions}) >= 2
        assert {"es", "ay", "qu", "en"} <= {s.language for s in submissions}
        assert submissions.filter(about_page__in=PublicWorkPage.objects.all()).exists()
        for submission in submissions.select_related("page", "recorded_by"):
            page = submission.page.specific
            assert page.locale == Locale.get_default()
            if submission.channel == "web":
                assert submission.recorded_by is None
            else:
                assert submission.recorded_by.username.startswith("demo-editor-")
            if isinstance(page, ConsultationPage):
                assert page.opens_at <= submission.submit_time <= page.closes_at
        for consultation in ConsultationPage.objects.all():
            has_answers = Submission.objects.filter(page=consultation).exists()
            assert has_answers == (consultation.status != ConsultationStatus.UPCOMING), consultation.title

    def test_running_it_again_changes_nothing(self):
        before = counts()
        output = load_demo()
        assert counts() == before
        assert "existing account" in output

    def test_with_force_it_completes_the_demo_next_to_real_content(self):
        lost = PublicWorkPage.objects.get(project_code="DEMO-OB-001")
        neighborhood, slug = lost.get_parent(), lost.slug
        lost.delete()
        real = factories.work(parent=neighborhood, title="Obra real", slug=slug)  # takes the demo's slug
        with pytest.raises(CommandError, match="--force"):
            load_demo()

        load_demo("--force")
        restored = PublicWorkPage.objects.get(project_code="DEMO-OB-001")
        assert restored.get_parent().pk == neighborhood.pk and restored.live
        assert restored.slug == f"{slug}-demo"
        real.refresh_from_db()
        assert (real.slug, real.title, real.live) == (slug, "Obra real", True)

    def test_it_prints_the_log_ins_including_the_admin(self, demo_city):
        assert re.search(rf"{demo.admin_username()}\s+{demo.DEMO_PASSWORD}\s+administrator", demo_city.output)
        admin = get_user_model().objects.get(username=demo.admin_username())
        assert admin.is_superuser and admin.check_password(demo.DEMO_PASSWORD)
        translator = get_user_model().objects.get(username=demo.translator_username())
        assert translator.groups.filter(name=TRANSLATORS_GROUP).exists()
        assert translator.username in demo_city.output

    def test_an_editor_of_the_demo_is_in_their_area_editors_group(self, demo_city):
        area = SubmunicipalityPage.objects.get(title="Sur")
        team = AreaTeam.objects.get(translation_key=area.translation_key)
        editor = get_user_model().objects.get(username="demo-editor-sur")
        reviewer = get_user_model().objects.get(username="demo-revisor-sur")
        assert team.editors in editor.groups.all()
        assert team.reviewers in reviewer.groups.all()
        assert team.reviewers not in editor.groups.all()
        assert editor.username in demo_city.output

    def test_the_home_page_and_a_work_page_are_served(self, client, settings, demo_city):
        settings.MEDIA_ROOT = demo_city.media_root  # where the demo's images were written
        home = client.get("/es/")
        assert home.status_code == 200
        work = PublicWorkPage.objects.filter(status=WorkStatus.COMPLETED).first()
        assert work.url.startswith("/es/")
        response = client.get(work.url)
        assert response.status_code == 200
        assert work.title in response.content.decode()


# ---- sites with real content ----------------------------------------------------------------


def test_it_refuses_when_the_site_already_has_real_content():
    real = factories.submunicipality(title="Macrodistrito real")
    pages_before = Page.objects.count()
    with pytest.raises(CommandError, match="--force") as error:
        load_demo()
    assert "Macrodistrito real" in str(error.value)
    assert Page.objects.count() == pages_before
    assert not get_user_model().objects.filter(username=demo.admin_username()).exists()
    assert SubmunicipalityPage.objects.get() == real
