"""The admin's spreadsheet import: upload → preview (what would change, every problem) → confirm.

The uploaded file is kept between the two steps in a private temporary folder, named by a
random id inside a signed token that also names the user and the kind of import; the token
expires after an hour and only its owner may use it. Confirming checks the file again from
scratch (the database may have changed) and imports it in one transaction, as the user, so
rows outside the user's own area are problems, never writes.
"""

import tempfile
import time
import uuid
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from budgets.permissions import budget_line_policy
from imports import importers, tables

TOKEN_SALT = "imports.upload"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60
FILE_MAX_AGE = 24 * 60 * 60
PREVIEW_ROWS = 500


def upload_folder():
    folder = Path(tempfile.gettempdir()) / "mibarrio-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _forget_old_uploads(folder):
    limit = time.time() - FILE_MAX_AGE
    for stale in folder.glob("*.upload"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink()
        except OSError:
            pass


def may_import(user):
    """Area team members (who may add budget lines) and superusers."""
    return user.is_active and (user.is_superuser or budget_line_policy().user_has_permission(user, "add"))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=list(importers.KINDS.items()))
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("CSV (UTF-8 or Latin-1, comma or semicolon) or XLSX, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > tables.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": tables.MAX_FILE_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class ImportMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"
    page_title = gettext_lazy("Import spreadsheets")

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("imports_upload"), "label": self.page_title}]

    def render_preview(self, report, token=None):
        outcomes = [outcome for outcome in report.outcomes if outcome.action != "unchanged"]
        context = self.get_context_data(
            report=report,
            token=token if report.ok else None,
            outcomes=outcomes[:PREVIEW_ROWS],
            hidden_outcomes=max(0, len(outcomes) - PREVIEW_ROWS),
            kind_label=importers.KINDS[report.kind],
            expected_headers=importers.IMPORTERS[report.kind].expected_headers(),
        )
        return self.render_to_response(context)


class UploadView(ImportMixin, FormView):
    template_name = "imports/admin/import_upload.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = {importers.KINDS[kind]: importer.columns for kind, importer in importers.IMPORTERS.items()}
        return context

    def form_valid(self, form):
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        content = upload.read(tables.MAX_FILE_BYTES + 1)
        folder = upload_folder()
        _forget_old_uploads(folder)
        file_id = uuid.uuid4().hex
        (folder / f"{file_id}.upload").write_bytes(content)
        token = signing.dumps(
            {"id": file_id, "kind": kind, "name": upload.name, "user": self.request.user.pk}, salt=TOKEN_SALT
        )
        report = importers.import_file(kind, content, upload.name, user=self.request.user, dry_run=True)
        self.template_name = "imports/admin/import_preview.html"
        return self.render_preview(report, token)


class ConfirmView(ImportMixin, View):
    template_name = "imports/admin/import_preview.html"
    http_method_names = ["post"]

    def post(self, request):
        try:
            data = signing.loads(request.POST.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("This import has expired or is not valid: upload the file again."))
            return redirect("imports_upload")
        if data.get("user") != request.user.pk or data.get("kind") not in importers.IMPORTERS:
            raise PermissionDenied
        stored = upload_folder() / f"{data['id']}.upload"
        if not stored.is_file():
            messages.error(request, _("This import has already been done or has expired: upload the file again."))
            return redirect("imports_upload")
        report = importers.import_file(data["kind"], stored.read_bytes(), data["name"], user=request.user)
        if not report.ok:
            return self.render_preview(report)
        stored.unlink(missing_ok=True)
        messages.success(
            request,
            _("%(name)s imported: %(summary)s") % {"name": data["name"], "summary": report.summary()},
        )
        if data["kind"] == importers.BUDGET:
            return redirect("budget_lines:index")
        return redirect("imports_upload")


upload = UploadView.as_view()
confirm = ConfirmView.as_view()
