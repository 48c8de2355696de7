"""The area team's list of what residents sent through a form, and its CSV/XLSX exports.

Whatever language version of a consultation or feedback form the team opens, it sees the same
merged list: every submission, in every language, newest first, with the language it came in,
the channel (web, paper, phone, hearing, office), the page it was about (for embedded
feedback), who typed it in (for assisted submissions), then one column per question of the
form, headed by the Spanish original's labels. Personal answers read "—" once the retention
period has removed them. Above the table, how many submissions came through each channel.
Exports have the same columns.

Who may open it is decided by ``participation.access`` (through Wagtail's
``filter_form_submissions_for_user`` hook, which the parent view applies).
"""

from collections import OrderedDict

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import HeaderButton
from wagtail.contrib.forms.views import SubmissionsListView

from home.spreadsheets import inert, xlsx_safe
from participation.models import Channel

REMOVED = "—"

#: Columns every form has, before its own questions: (key, heading).
SUBMISSION_COLUMNS = (
    ("submit_time", _("Submission date")),
    ("language", _("Language")),
    ("channel", _("Channel")),
    ("about_page", _("About page")),
    ("recorded_by", _("Recorded by")),
)


def _local(moment):
    return timezone.make_naive(moment) if timezone.is_aware(moment) else moment


class ParticipationSubmissionsListView(SubmissionsListView):
    """Wagtail's submissions list, merged across languages, with participation columns."""

    template_name = "participation/admin/submissions_index.html"
    custom_field_preprocess = {
        "submit_time": {
            SubmissionsListView.FORMAT_CSV: lambda value: _local(value).isoformat(sep=" ", timespec="seconds"),
            SubmissionsListView.FORMAT_XLSX: _local,
        },
    }

    def dispatch(self, request, *args, **kwargs):
        self.original = kwargs["form_page"].original_page()
        return super().dispatch(request, *args, **kwargs)

    # ---- columns --------------------------------------------------------------------------

    def form_fields(self):
        """The questions of the form, as the Spanish original asks them."""
        if not hasattr(self, "_form_fields"):
            self._form_fields = list(self.original.get_form_fields())
        return self._form_fields

    def data_fields(self):
        fields = [(name, label) for name, label in SUBMISSION_COLUMNS]
        fields += [(field.clean_name, field.label) for field in self.form_fields()]
        if any(field.personal_data for field in self.form_fields()):
            fields.append(("consent", _("Consent to personal data")))
        return fields

    def personal_names(self):
        names = {field.clean_name for field in self.form_fields() if field.personal_data}
        return names | {"consent"} if names else names

    def row_values(self, submission):
        """Column key → value of one submission (before any spreadsheet formatting)."""
        data = submission.form_data or {}
        languages = dict(settings.LANGUAGES)
        values = {
            "submit_time": submission.submit_time,
            "language": str(languages.get(submission.language, submission.language)),
            "channel": str(Channel(submission.channel).label) if submission.channel in Channel.values else "",
            "about_page": submission.about_page.title if submission.about_page else "",
            "recorded_by": (
                (submission.recorded_by.get_full_name() or submission.recorded_by.get_username())
                if submission.recorded_by
                else ""
            ),
        }
        removed = submission.personal_data_removed_at is not None
        personal = self.personal_names()
        for name, _label in self.data_fields()[len(SUBMISSION_COLUMNS) :]:
            if removed and name in personal:
                values[name] = REMOVED
                continue
            value = data.get(name)
            if name == "consent" and value is not None:
                value = _("Yes") if value else _("No")
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            values[name] = "" if value is None else value
        return values

    # ---- list and exports -----------------------------------------------------------------

    def get_base_queryset(self):
        return self.original.get_submissions().select_related("about_page", "recorded_by")

    def get_export_fields(self):
        fields = self.data_fields()
        self.list_export = [name for name, _label in fields]
        self.export_headings = dict(fields)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            self.get_export_fields()
        return super().render_to_response(context, **response_kwargs)

    def to_row_dict(self, item):
        values = self.row_values(item)
        return OrderedDict((name, values[name]) for name in self.list_export)

    def write_csv_row(self, writer, row_dict):
        return super().write_csv_row(writer, {name: inert(value) for name, value in row_dict.items()})

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        # Wagtail writes formula-like text as text in XLSX; it cannot write control characters.
        safe = {name: xlsx_safe(value) for name, value in row_dict.items()}
        return super().generate_xlsx_row(worksheet, safe, date_format=date_format)

    def channel_counts(self):
        """(channel label, count) for every channel that has submissions, most first."""
        counts = (
            self.original.get_submissions().values("channel").annotate(count=Count("pk")).order_by("-count", "channel")
        )
        labels = dict(Channel.choices)
        return [(labels.get(row["channel"], row["channel"]), row["count"]) for row in counts]

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Record a submission"),
                reverse("participation_record_submission", args=[self.form_page.pk]),
                icon_name="edit",
            ),
            *super().get_header_buttons(),
        ]

    def get_context_data(self, **kwargs):
        # Wagtail's own columns come from the page it was opened on; rebuild them from the
        # original's questions and the participation columns.
        context = super(SubmissionsListView, self).get_context_data(**kwargs)
        context["next_url"] = f"{self.get_index_url()}?{self.request.GET.urlencode()}"
        if self.is_export:
            return context
        fields = self.data_fields()
        ordering = self.get_validated_ordering()
        context["data_headings"] = [
            {
                "name": name,
                "label": label,
                "order": (ordering[name][1] if name in ordering else "orderable")
                if name in self.orderable_fields
                else None,
            }
            for name, label in fields
        ]
        rows = []
        for submission in context[self.context_object_name]:
            values = self.row_values(submission)
            rows.append({"model_id": submission.pk, "fields": [values[name] for name, _label in fields]})
        counts = self.channel_counts()
        context.update(
            form_page=self.form_page,
            data_rows=rows,
            channel_counts=counts,
            total_submissions=sum(count for _label, count in counts),
        )
        return context
