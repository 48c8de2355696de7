"""The admin's image form: every image needs a description.

It is the alt text read to blind residents and shown when a photo does not load on a slow
connection. The admin refuses an image without one (``WAGTAILIMAGES_IMAGE_FORM_BASE``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.images.forms import BaseImageForm


class ImageForm(BaseImageForm):
    """Wagtail's image form, with the description (the alt text) required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Description (alt text)")
            field.help_text = _(
                "Describe what the photo shows for people who cannot see it, e.g. 'Workers paving "
                "Calle 21 with concrete blocks'. Required."
            )
            field.error_messages["required"] = _(
                "Describe the image: this text is read aloud to people who cannot see it and shown when it does not load."
            )

    def clean_description(self):
        description = (self.cleaned_data.get("description") or "").strip()
        if not description:
            raise forms.ValidationError(self.fields["description"].error_messages["required"], code="required")
        return description
