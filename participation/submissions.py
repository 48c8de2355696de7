"""How a resident's answers to a consultation or a feedback form reach the municipality.

What a resident sees, and what happens behind it (``ConsultationPage.serve`` and
``FeedbackFormPage.serve`` both come here):

1. The form is built from the questions of the page they are reading, in its language (the
   translated page's labels, help texts and choices; the Spanish one's under an untranslated
   alias). If a question asks for personal data, a consent box is added under the form's
   notice on why the data is asked and how long it is kept; it must be ticked only if the
   resident actually gave personal data.
2. A consultation that is not open (not yet, or closed — even while the resident was typing)
   refuses the answers with a message saying so, and shows its dates or its results (HTTP 409).
3. Feedback sent from a page that embeds the form carries that page's id (``about``). It must
   be a live, public page showing this form (in any language); anything else is refused with a
   message (HTTP 400), never stored and never a server error.
4. The spam trap (``participation.abuse``): a robot that fills the hidden field is thanked and
   nothing is stored. Every answer is bounded in length, with the error next to the field.
5. Answers with errors come back with every answer kept and each error tied to its field.
   Past the per-client limit, the form comes back with the answers kept and how long to wait
   (HTTP 429).
6. The submission is stored in one transaction on the form's Spanish original, with the
   language, the channel (web) and the page it was about; choice answers are stored as the
   Spanish choice with the same position, so answers line up across languages.
7. Only once it is committed is the area's team told, in the background
   (``participation.tasks.notify_team``); a mail server that is down is logged, never shown
   to the resident, and never loses the submission.
8. The resident is sent (HTTP 303) to the form's page with ``?gracias=1``, which shows the
   thank-you — reloading it sends nothing again — or, for feedback embedded in a page, back to
   that page (``?gracias=1#feedback``), where the thank-you message is shown above the form.
"""

import logging
from functools import partial

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import BaseForm
from wagtail.models import Page

from home.visibility import public_pages
from languages.sources import source_page
from neighborhoods.models import EmbeddedFeedbackMixin
from participation import abuse
from participation.models import Channel, FeedbackFormPage, Submission
from participation.tasks import notify_team

logger = logging.getLogger(__name__)

CONSENT_FIELD = "consent"
ABOUT_FIELD = "about"
THANKS_PARAMETER = "gracias"
# Ids of the form's inputs: "field-<clean_name>", the same on a form page and embedded in another
# page, and clear of the ids the rest of a page uses.
AUTO_ID = "field-%s"
CHOICE_TYPES = {"dropdown", "multiselect", "radio", "checkboxes"}
GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class Question:
    """One question as the form shows it: the bound field and what the template needs to know."""

    def __init__(self, bound_field, field_type, personal_data):
        self.field = bound_field
        self.field_type = field_type
        self.personal_data = personal_data
        self.is_group = isinstance(bound_field.field.widget, GROUP_WIDGETS)
        self.is_checkbox = field_type == "checkbox"
        self.is_hidden = field_type == "hidden"
        self.help_id = f"{bound_field.auto_id}-help"
        self.error_id = f"{bound_field.auto_id}-error"
        # Where the error summary's link takes the focus: the input, or a group's first option.
        self.anchor = f"{bound_field.auto_id}_0" if self.is_group else bound_field.auto_id


class ParticipationForm(BaseForm):
    """A form built from an editor's questions, plus the consent box when personal data is asked."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_types = {field.clean_name: field for field in questions}
        self.personal_names = [field.clean_name for field in questions if field.personal_data]

    @property
    def questions(self):
        return [
            Question(self[name], meta.field_type, meta.personal_data)
            for name, meta in self.question_types.items()
            if name in self.fields
        ]

    @property
    def consent(self):
        return self[CONSENT_FIELD] if CONSENT_FIELD in self.fields else None

    def gave_personal_data(self):
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) not in (None, "", [], False) for name in self.personal_names)

    def clean(self):
        cleaned = super().clean()
        if self.gave_personal_data() and not cleaned.get(CONSENT_FIELD):
            self.add_error(
                CONSENT_FIELD,
                gettext(
                    "You gave personal data: tick this box to agree to how it is used, "
                    "or leave the personal fields empty."
                ),
            )
        return cleaned

    def describe_fields(self):
        """Tie every input to its help text and its errors (``aria-describedby``), and mark the
        inputs with errors ``aria-invalid``, so screen readers read them with the field."""
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-help")
            if name == CONSENT_FIELD:
                ids.insert(0, "consent-notice")
            if self.is_bound and bound.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)
        return self


def build_form(page, data=None, fields=None):
    """The form of ``page`` (a consultation or feedback form, in the reader's language): the
    editor's questions, the consent box when any question asks for personal data, and the
    guard's length limits."""
    fields = list(page.get_form_fields()) if fields is None else fields
    attrs = dict(page.form_builder(fields).formfields)
    if any(field.personal_data for field in fields):
        attrs[CONSENT_FIELD] = forms.BooleanField(
            label=_("I agree that the municipality keeps the personal data I gave, as explained above."),
            required=False,
        )
    for field in attrs.values():
        # Phones show a date picker for these; the value is written and read back as ISO.
        if type(field) is forms.DateField:
            field.widget.input_type, field.widget.format = "date", "%Y-%m-%d"
        elif type(field) is forms.DateTimeField:
            field.widget.input_type, field.widget.format = "datetime-local", "%Y-%m-%dT%H:%M"
    form_class = type("ParticipationForm", (ParticipationForm,), attrs)
    form = form_class(data, page=page, auto_id=AUTO_ID, questions=fields)
    abuse.limit_lengths(form)
    return form


def _choices(page, field):
    return [value for value, _label in page.form_builder([]).get_formatted_field_choices(field)]


def answers_to_store(form, page, fields, original):
    """The cleaned answers, with choices translated back to the Spanish original's wording (by
    position) and ``consent: true`` when the resident gave personal data."""
    data = {name: value for name, value in form.cleaned_data.items() if name != CONSENT_FIELD}
    if original.pk != page.pk:
        original_fields = {field.clean_name: field for field in original.get_form_fields()}
        for field in fields:
            source = original_fields.get(field.clean_name)
            if field.field_type not in CHOICE_TYPES or source is None or field.clean_name not in data:
                continue
            mapping = dict(zip(_choices(page, field), _choices(original, source), strict=False))
            value = data[field.clean_name]
            if isinstance(value, list):
                data[field.clean_name] = [mapping.get(item, item) for item in value]
            elif value:
                data[field.clean_name] = mapping.get(value, value)
    if form.gave_personal_data():
        data[CONSENT_FIELD] = True
    return data


def reader_language(page):
    """The language the resident used: the request's, else the page's."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = translation.get_language()
    return language if language in codes else page.locale.language_code


def _enqueue_notification(submission_id):

    try:
        notify_team.enqueue(submission_id)
    except Exception:  # the submission is stored: a broken task queue must not reach the resident
        logger.exception("Could not enqueue the notification of submission %s", submission_id)


def store_submission(page, form, *, fields=None, language=None, about_page=None):
    """Store the answers of a valid ``form`` of ``page`` on the form's Spanish original, then —
    once committed — tell the area's team in the background. Returns the submission."""

    fields = list(page.get_form_fields()) if fields is None else fields
    original = page.original_page()
    with transaction.atomic():
        submission = Submission.objects.create(
            page=original,
            form_data=answers_to_store(form, page, fields, original),
            language=language or reader_language(page),
            channel=Channel.WEB,
            about_page=about_page,
        )
        transaction.on_commit(partial(_enqueue_notification, submission.pk))
    return submission


def about_page_for(form_page, raw):
    """The page an embedded feedback form was sent from, checked, as ``(page, refusal)``.

    ``page`` is the reader's-language page (``None`` when the form was sent from its own page);
    ``refusal`` is a message when ``raw`` is not the id of a live, public page that shows this
    form (in any of its languages).
    """

    if not raw:
        return None, None
    refusal = gettext(
        "This feedback could not be sent: the page it was sent from does not show this form. "
        "Go back to the page and send it from there."
    )
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None, refusal
    about = public_pages(Page.objects.filter(pk=pk)).specific().first()
    if not isinstance(about, EmbeddedFeedbackMixin) or about.feedback_form_id is None:
        return None, refusal
    shows_this_form = FeedbackFormPage.objects.filter(
        pk=about.feedback_form_id, translation_key=form_page.translation_key
    ).exists()
    if not shows_this_form:
        return None, refusal
    return about, None


def render_form_page(page, request, form, *, about=None, refusal=None, status=200):
    """The form page itself: the form (with any errors), or the refusal and why."""
    if form is not None:
        form.describe_fields()
    context = page.get_context(request)
    context.update(form=form, about=about, refusal=refusal)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def thank(page, request, about):
    """After sending: back to the page the feedback was about, or to the form's own page, which
    then shows the thank-you (``?gracias=1``). A redirect (303, "see other"), so reloading the
    thank-you never sends the answers again."""
    if about is not None:
        return HttpResponseRedirect(f"{about.get_url(request)}?{THANKS_PARAMETER}=1#feedback")
    # The form was sent to the page's own address: back there, in the reader's language.
    response = HttpResponseRedirect(f"{request.path}?{THANKS_PARAMETER}=1")
    response.status_code = 303
    return response


def serve(page, request):
    """Show the form of ``page`` (GET) or take a resident's answers (POST); see the module."""
    if request.method != "POST":
        if request.GET.get(THANKS_PARAMETER) == "1":
            return page.render_landing_page(request)
        form = build_form(page) if page.accepts_submissions else None
        return render_form_page(page, request, form)

    about, refusal = about_page_for(page, request.POST.get(ABOUT_FIELD, "").strip())
    if refusal:
        return render_form_page(page, request, None, refusal=refusal, status=400)
    if not page.accepts_submissions:
        return render_form_page(page, request, None, about=about, refusal=page.refusal_message(), status=409)
    if abuse.honeypot_tripped(request):
        return thank(page, request, about)

    fields = list(page.get_form_fields())
    form = build_form(page, request.POST, fields)
    if not form.is_valid():
        return render_form_page(page, request, form, about=about)
    scope = f"participation-form:{page.original_page().pk}"
    if abuse.rate_limited(request, scope):
        response = render_form_page(
            page, request, form, about=about, refusal=abuse.rate_limit_message(request, scope), status=429
        )
        response["Retry-After"] = str(abuse.retry_after(request, scope))  # when to send again, in seconds
        return response
    store_submission(page, form, fields=fields, about_page=(source_page(about) or about) if about is not None else None)
    return thank(page, request, about)
