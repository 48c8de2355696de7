"""Admin hooks of the municipal side of participation.

- Submissions (list, CSV/XLSX export, delete, the Forms menu) only for the owning area's team
  and superusers (``participation.access``).
- "Record a submission": the assisted-participation form (``participation.views.assisted``),
  reached from the submissions list and from a form page's "More" menu in the page listing.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from home.panels import DashboardPanel
from participation.access import forms_in_users_areas, may_see_submissions
from participation.models import ConsultationPage, FeedbackFormPage
from participation.tasks import failed_notifications
from participation.views import assisted


@hooks.register("filter_form_submissions_for_user")
def only_forms_of_the_users_area(user, editable_forms):
    return forms_in_users_areas(user, editable_forms)


@hooks.register("register_admin_urls")
def register_assisted_submission_urls():
    return [
        path(
            "forms/submissions/<int:page_id>/record/",
            assisted.record_submission,
            name="participation_record_submission",
        ),
    ]


@hooks.register("register_page_listing_more_buttons")
def record_submission_button(page, user, next_url=None):
    """ "Record a submission" in a consultation's or feedback form's "More" menu, for its team."""

    if not issubclass(page.specific_class or type(page), (ConsultationPage, FeedbackFormPage)):
        return []
    if not may_see_submissions(user, page):
        return []
    return [
        Button(
            _("Record a submission"),
            reverse("participation_record_submission", args=[page.pk]),
            icon_name="edit",
            priority=8,
        )
    ]


class FailedNotificationsPanel(DashboardPanel):
    """On an administrator's dashboard: the team e-mails that could not be sent in a day of trying."""

    name = "failed-notifications"
    template_name = "participation/admin/failed_notifications_panel.html"
    order = 50


@hooks.register("construct_homepage_panels")
def add_failed_notifications_panel(request, panels):
    if request.user.is_superuser:
        failed = failed_notifications()
        if failed:
            panels.append(FailedNotificationsPanel(failed))
