"""Taking part: consultations, feedback forms embedded in pages, and what residents send.

Both kinds of form are built by editors with Wagtail's form builder. Every submission, whatever
language version of a form it came through, is stored once on the form's original (Spanish)
page with the language it came in, the channel (web, paper, phone, hearing…) and, for embedded
feedback, the page it was about.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.forms import AreaPageForm
from languages.sources import source_page
from participation.access import SubmissionsPanel as FormSubmissionsPanel

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ParticipationPageForm(AreaPageForm, WagtailAdminFormPageForm):
    """The admin form of a form page: own-area media only, and no two fields with the same name."""


class Channel(models.TextChoices):
    """How a submission reached the municipality."""

    WEB = "web", pgettext_lazy("submission channel", "Web")
    PAPER = "paper", pgettext_lazy("submission channel", "Paper form")
    PHONE = "phone", pgettext_lazy("submission channel", "Phone")
    HEARING = "hearing", pgettext_lazy("submission channel", "Citizen hearing")
    OFFICE = "office", pgettext_lazy("submission channel", "At the office")


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("consultation status", "Upcoming")
    OPEN = "open", pgettext_lazy("consultation status", "Open")
    CLOSED = "closed", pgettext_lazy("consultation status", "Closed")


class ParticipationFormField(TranslatableMixin, AbstractFormField):
    """A question of a form. Translators translate its label, help text and choices; its key
    (``clean_name``), type and whether it is required or personal stay the same in every language,
    so answers from every language version line up."""

    personal_data = models.BooleanField(
        _("personal data"),
        default=False,
        help_text=_(
            "Tick for a name, phone number, e-mail or anything else that identifies the resident. "
            "Personal fields are always optional, need the resident's consent and are removed "
            "after the retention period."
        ),
    )

    panels = AbstractFormField.panels + [FieldPanel("personal_data")]
    translatable_fields = [
        TranslatableField("label"),
        TranslatableField("help_text"),
        TranslatableField("choices"),
        TranslatableField("default_value"),
        SynchronizedField("clean_name", overridable=False),
        SynchronizedField("field_type", overridable=False),
        SynchronizedField("required", overridable=False),
        SynchronizedField("personal_data", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        abstract = True

    def clean(self):
        super().clean()
        if self.personal_data and self.required:
            raise ValidationError(
                {"required": _("Personal data is always optional: untick 'required' for this field.")}
            )


class ParticipationFormMixin(models.Model):
    """What every form page of the portal has: the personal-data notice, the thank-you text and
    who on the area's team is told of new submissions (the addresses are the same in every
    language)."""

    personal_data_notice = models.TextField(
        _("why we ask for personal data"),
        blank=True,
        help_text=_(
            "Shown above the consent box when the form has personal fields: why they are asked "
            "and how long they are kept, e.g. 'To answer you. Removed after 180 days.'"
        ),
    )
    thank_you_text = RichTextField(
        _("thank-you message"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Shown after a resident sends the form."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        fields = self.get_form_fields()
        if any(field.personal_data for field in fields) and not self.personal_data_notice.strip():
            raise ValidationError(
                {"personal_data_notice": _("This form asks for personal data: say why and for how long it is kept.")}
            )

    def get_submission_class(self):
        return Submission

    # Whether residents may send answers now (a consultation only while it is open).
    accepts_submissions = True

    def refusal_message(self):
        """What a resident who sends answers while the form takes none reads."""
        return _("This form is not taking answers.")

    def serve(self, request, *args, **kwargs):
        """The form in the reader's language, and what happens when a resident sends it
        (``participation.submissions``)."""

        from participation.submissions import serve  # the page's own view, which imports these models

        return serve(self, request)

    def process_form_submission(self, form):
        """Store a valid form's answers on the Spanish original; the team is e-mailed in the
        background once the submission is committed, never here."""

        from participation.submissions import store_submission  # it imports these models

        return store_submission(self, form)

    def original_page(self):
        """The page submissions are stored on: the Spanish original of this form (or itself).
        Worked out once per page object (a request asks for it more than once)."""
        if "_original_page" not in self.__dict__:
            self._original_page = source_page(self) or self
        return self._original_page

    def get_submissions(self):
        return Submission.objects.filter(page=self.original_page())

    def get_submissions_list_view_class(self):
        """The staff's merged list of every language version, with the participation columns."""
        from participation.views.submissions import ParticipationSubmissionsListView  # an admin view of these pages

        return ParticipationSubmissionsListView


# What every form page's editor fills in after its own fields: the questions, the personal-data
# notice, the thank-you and who on the area's team is told.
FORM_PANELS = [
    InlinePanel("form_fields", label=_("Form fields")),
    FieldPanel("personal_data_notice"),
    FieldPanel("thank_you_text"),
    MultiFieldPanel(
        [FieldPanel("to_address"), FieldPanel("from_address"), FieldPanel("subject")],
        heading=_("E-mail to the area's team"),
    ),
]

# Fields shared by every language version of a form page: dates, addresses, settings.
FORM_PAGE_SYNCHRONIZED = [
    SynchronizedField("to_address", overridable=False),
    SynchronizedField("from_address", overridable=False),
]


class ConsultationPage(ParticipationFormMixin, AbstractEmailForm):
    """A public consultation in a neighbourhood or a submunicipality.

    Editors see the question and its context, when it opens and closes (its status follows from
    those dates), optional in-person hearings (audiencias ciudadanas), the form they build with the
    form builder, and — once it has closed — the results and the municipality's response ("what
    we heard, what we will do"), which then replace the form on the page.
    """

    question = models.CharField(_("question"), max_length=300)
    context = RichTextField(
        _("context"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What residents need to know to answer: the problem, the options, the budget."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results_summary = RichTextField(
        _("results"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("After closing: what residents answered, in figures and words."),
    )
    response = RichTextField(
        _("the municipality's response"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("After closing: what we heard and what we will do."),
    )

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("question"),
        FieldPanel("context"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Dates")),
        InlinePanel("hearings", label=_("Citizen hearings")),
        *FORM_PANELS,
        MultiFieldPanel([FieldPanel("results_summary"), FieldPanel("response")], heading=_("After closing")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("context"),
        index.SearchField("results_summary"),
        index.SearchField("response"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]
    override_translatable_fields = FORM_PAGE_SYNCHRONIZED + [
        SynchronizedField("opens_at", overridable=False),
        SynchronizedField("closes_at", overridable=False),
    ]

    template = "participation/consultation_page.html"
    landing_page_template = "participation/consultation_page_landing.html"
    base_form_class = ParticipationPageForm
    parent_page_types = ["neighborhoods.SubmunicipalityPage", "neighborhoods.NeighborhoodPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A consultation must close after it opens.")})

    def status_at(self, moment):
        if moment < self.opens_at:
            return ConsultationStatus.UPCOMING
        if moment < self.closes_at:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    @property
    def status(self):
        """Upcoming, open or closed, from the dates (never stored, so never stale)."""
        return self.status_at(timezone.now())

    @property
    def is_open(self):
        return self.status == ConsultationStatus.OPEN

    @property
    def accepts_submissions(self):
        return self.is_open

    def refusal_message(self):
        if self.status == ConsultationStatus.UPCOMING:
            return _("This consultation is not open yet: your answers were not saved. Come back once it opens.")
        return _("This consultation has closed: your answers were not saved.")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["status"] = self.status
        context["hearings"] = sorted(self.hearings.all(), key=lambda hearing: hearing.starts_at)
        return context


class ConsultationFormField(ParticipationFormField):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="form_fields")

    class Meta(ParticipationFormField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")


class ConsultationHearing(TranslatableMixin, Orderable):
    """An in-person hearing (audiencia ciudadana) of a consultation: when and where."""

    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, help_text=_("e.g. Sede de la Junta Vecinal"))
    address = models.CharField(_("address"), max_length=250, blank=True)

    panels = [FieldPanel("starts_at"), FieldPanel("place"), FieldPanel("address")]
    translatable_fields = [
        SynchronizedField("starts_at", overridable=False),
        TranslatableField("place"),
        SynchronizedField("address", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("citizen hearing")
        verbose_name_plural = _("citizen hearings")


class FeedbackFormPage(ParticipationFormMixin, AbstractEmailForm):
    """A feedback form an area's editors embed in neighbourhood, work and news pages.

    Editors build it once with the form builder (e.g. "Your opinion on this work") and choose it
    on each page where residents should be able to comment; every submission records the page it
    was about. The form also has a page of its own, where it works without JavaScript.
    """

    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the form."))

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        *FORM_PANELS,
    ]
    override_translatable_fields = FORM_PAGE_SYNCHRONIZED

    template = "participation/feedback_form_page.html"
    landing_page_template = "participation/feedback_form_page_landing.html"
    base_form_class = ParticipationPageForm
    parent_page_types = ["neighborhoods.SubmunicipalityPage", "neighborhoods.NeighborhoodPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")


class FeedbackFormField(ParticipationFormField):
    page = ParentalKey(FeedbackFormPage, on_delete=models.CASCADE, related_name="form_fields")

    class Meta(ParticipationFormField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")


class Submission(AbstractFormSubmission):
    """What a resident sent through a consultation or a feedback form, stored on the form's
    Spanish original whatever language it came in."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    about_page = models.ForeignKey(
        Page,
        verbose_name=_("about page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For feedback embedded in a page: the page the resident commented on."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The municipal staff member who typed in an answer given on paper, by phone or in person."),
    )
    personal_data_removed_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["page", "submit_time"]), models.Index(fields=["submit_time"])]
