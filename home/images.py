"""Images on the public pages: the renditions the templates ask for, and alt text required from editors.

The templates show photos with Wagtail's ``{% picture %}`` tag (WebP with a JPEG fallback, in a
few widths); for lists of photos the views prefetch exactly those renditions, so a page with many
photos runs as many queries as one with a few. Keep the constant in step with its template.

Every image needs a description: it is the alt text read to blind residents and shown when a
photo does not load on a slow connection. The admin refuses an image without one.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm
from wagtail.images.models import Filter

#: components/photo.html (gallery and timeline photos).
PHOTO_RENDITIONS = Filter.expand_spec("width-{320,640} format-{webp,jpeg}")


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
