"""Assisted participation: a team member types in an answer a resident gave on paper, by phone,
at a citizen hearing or at the office.

The editor sees the form's questions as the Spanish original asks them (answers line up with
the web ones), then: how the answer arrived, the day it was received, the language the resident
used and — for a feedback form — the page the resident was talking about. If the resident
gave a name or a phone number, the editor confirms the resident agreed to the form's notice on
personal data. The submission is stored with that channel, that date, the language and who
recorded it, and appears in the merged list, the counts by channel and the exports.

Only the team of the submunicipality that owns the form (and superusers) may do it: the same
rule as for reading submissions (``participation.access``).
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Locale, Page

from neighborhoods.models import NeighborhoodPage, NewsPage
from participation.abuse import limit_lengths
from participation.access import may_see_submissions
from participation.models import Channel, ConsultationPage, FeedbackFormPage, Submission
from works.models import PublicWorkPage

#: Answers typed in by staff never come through the web.
ASSISTED_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]


def pages_about(form_page):
    """The Spanish pages on which the feedback form ``form_page`` is shown (none for a consultation)."""
    if not isinstance(form_page, FeedbackFormPage):
        return Page.objects.none()
    ids = []
    for model in (NeighborhoodPage, PublicWorkPage, NewsPage):
        ids += model.objects.filter(feedback_form=form_page).values_list("pk", flat=True)
    return Page.objects.filter(pk__in=ids, locale=Locale.get_default()).order_by("title")


class AssistedDetailsForm(forms.Form):
    """How, when and in which language the answer arrived (prefixed, so no question can clash)."""

    channel = forms.ChoiceField(label=gettext_lazy("Received"), choices=ASSISTED_CHANNELS)
    received_on = forms.DateField(label=gettext_lazy("Date received"), widget=AdminDateInput)
    language = forms.ChoiceField(
        label=gettext_lazy("Language the resident used"), choices=settings.LANGUAGES, initial="es"
    )
    about_page = forms.ModelChoiceField(
        label=gettext_lazy("About page"),
        queryset=Page.objects.none(),
        required=False,
        help_text=gettext_lazy("The neighbourhood, work or news the resident commented on, if any."),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("The resident agreed to the notice on personal data"),
        required=False,
        help_text=gettext_lazy("Required when you type in a name, phone number or other personal data."),
    )

    def __init__(self, *args, form_page, has_personal_fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_page = form_page
        self.fields["received_on"].initial = timezone.localdate()
        about = pages_about(form_page)
        if about.exists():
            self.fields["about_page"].queryset = about
        else:
            del self.fields["about_page"]
        if not has_personal_fields:
            del self.fields["consent"]

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        if isinstance(self.form_page, ConsultationPage):
            opened = timezone.localdate(self.form_page.opens_at)
            closed = timezone.localdate(self.form_page.closes_at)
            if not opened <= received <= closed:
                raise forms.ValidationError(
                    _(
                        "This consultation was open from %(opens)s to %(closes)s: answers received on "
                        "other days are not counted."
                    )
                    % {"opens": date_format(opened), "closes": date_format(closed)}
                )
        return received


def received_at(day):
    """The moment stored for an answer received on ``day``: now if today, else midday that day."""
    now = timezone.localtime()
    if day == now.date():
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class RecordSubmissionView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "participation/admin/record_submission.html"
    header_icon = "form"
    page_title = gettext_lazy("Record a submission")

    def dispatch(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(page, ConsultationPage | FeedbackFormPage):
            raise Http404
        if not may_see_submissions(request.user, page):
            raise PermissionDenied
        self.form_page = page.original_page()
        self.fields = list(self.form_page.get_form_fields())
        self.personal_names = [field.clean_name for field in self.fields if field.personal_data]
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.form_page.get_admin_display_title()

    def submissions_url(self):
        return reverse("wagtailforms:list_submissions", args=[self.form_page.pk])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailforms:index"), "label": _("Forms")},
            {"url": self.submissions_url(), "label": self.form_page.get_admin_display_title()},
            {"url": "", "label": self.page_title},
        ]

    def build_forms(self, data=None):
        answers = limit_lengths(self.form_page.get_form(data, page=self.form_page, user=self.request.user))
        details = AssistedDetailsForm(
            data, prefix="assisted", form_page=self.form_page, has_personal_fields=bool(self.personal_names)
        )
        return answers, details

    def get(self, request, page_id):
        answers, details = self.build_forms()
        return self.render_to_response(self.get_context_data(answers=answers, details=details))

    def post(self, request, page_id):
        answers, details = self.build_forms(request.POST)
        if answers.is_valid() and details.is_valid():
            gave_personal_data = any(answers.cleaned_data.get(name) for name in self.personal_names)
            if gave_personal_data and not details.cleaned_data.get("consent"):
                details.add_error(
                    "consent",
                    _("You typed in personal data: confirm the resident agreed to the notice, or leave it out."),
                )
            else:
                self.store(answers.cleaned_data, details.cleaned_data, gave_personal_data)
                messages.success(request, _("The submission was recorded."))
                return redirect(self.submissions_url())
        return self.render_to_response(self.get_context_data(answers=answers, details=details))

    @transaction.atomic
    def store(self, answers, details, gave_personal_data):
        data = dict(answers)
        if gave_personal_data:
            data["consent"] = True
        submission = Submission.objects.create(
            page=self.form_page,
            form_data=data,
            language=details["language"],
            channel=details["channel"],
            about_page=details.get("about_page"),
            recorded_by=self.request.user,
        )
        # submit_time is set to "now" on creation; an answer from last week's paper forms is dated then.
        Submission.objects.filter(pk=submission.pk).update(submit_time=received_at(details["received_on"]))
        return submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form_page=self.form_page,
            submissions_url=self.submissions_url(),
            personal_data_notice=self.form_page.personal_data_notice if self.personal_names else "",
        )
        return context


record_submission = RecordSubmissionView.as_view()
