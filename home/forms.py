"""The admin form of every page that can show images or documents.

Wagtail's chooser only *offers* the images and documents of the editor's own collections; a
hand-made request could still name another area's file by its id. This form refuses that, so
each submunicipality's team can only use its own media (and any media already on the page).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry


def _refuse_foreign_media(form, user):
    """Add an error to each changed field of ``form`` naming a file ``user`` may not choose."""
    policies = {model: policy_registry.get_by_type(model) for model in (get_image_model(), get_document_model())}
    refused = False
    for name in list(form.changed_data):
        value = getattr(form, "cleaned_data", {}).get(name)
        policy = policies.get(type(value))
        if policy is not None and not policy.user_has_permission_for_instance(user, "choose", value):
            form.add_error(
                name, ValidationError(_("You cannot use this file: it belongs to another area's collection."))
            )
            refused = True
    return refused


class AreaPageForm(WagtailAdminPageForm):
    """A page form that lets an editor attach only images and documents they may choose."""

    def is_valid(self):
        # Checked after the inline formsets are cleaned, which happens after the form's clean().
        valid = super().is_valid()
        user = self.for_user
        if user is None or user.is_superuser:
            return valid
        forms = [self] + [
            child
            for formset in self.formsets.values()
            for child in formset.forms
            if not getattr(child, "cleaned_data", {}).get("DELETE")
        ]
        refused = [_refuse_foreign_media(form, user) for form in forms]
        return valid and not any(refused)
