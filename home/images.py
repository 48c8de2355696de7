"""Images on the public pages: the renditions the templates ask for.

The templates show photos with Wagtail's ``{% picture %}`` tag (WebP with a JPEG fallback, in a
few widths); for lists of photos the views prefetch exactly those renditions, so a page with many
photos runs as many queries as one with a few. Keep the constant in step with its template.
(The admin's image form, which requires alt text, is ``home.image_forms``: it cannot be imported
while models load.)
"""

from wagtail.images.models import Filter

#: components/photo.html (gallery and timeline photos).
PHOTO_RENDITIONS = Filter.expand_spec("width-{320,640} format-{webp,jpeg}")
