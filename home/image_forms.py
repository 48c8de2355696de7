"""The admin's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): an image that opens, with a description.

The description is the alt text read to blind residents and shown when a photo does not load on
a slow connection: the admin refuses an image without one. A file that looks like an image but
does not open (damaged, cut short by a slow connection, a JPEG header on anything) is refused
with a message that says what to do, instead of failing when Wagtail reads its size.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from PIL import Image, UnidentifiedImageError

#: What Pillow raises for a file it cannot read whole.
UNREADABLE = (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError)


class OpeningImageField(WagtailImageField):
    """Wagtail's image field, refusing a file that does not open instead of failing on it."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
            f.seek(0)
            with Image.open(f) as image:
                image.load()  # decodes every pixel: a file cut short fails here, not later
        except forms.ValidationError:
            raise
        except UNREADABLE as error:
            raise forms.ValidationError(
                _(
                    "This file does not open as an image: it may be damaged or only partly uploaded. "
                    "Open it on your computer, save it again as JPEG or PNG and upload that file."
                ),
                code="unreadable",
            ) from error
        finally:
            f.seek(0)


class ImageForm(BaseImageForm):
    """Wagtail's image form: the file must open, and the description (the alt text) is required."""

    file = OpeningImageField(label=_("File"))

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
