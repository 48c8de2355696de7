"""The boundary field in the admin."""

from django import forms

from neighborhoods.geo import city_bbox, tile_settings


class BoundaryWidget(forms.Textarea):
    """The boundary field as editors see it: a text box where pasting GeoJSON always works, and
    under it a small map that draws the boundary (``js/boundary-widget.js``, with Leaflet): click
    to add the corners in order, "Close polygon" writes the GeoJSON into the box. The city's box
    (``CITY_BBOX``) is outlined; the checks on saving are ``geo.validate_boundary``'s.
    """

    template_name = "neighborhoods/widgets/boundary.html"

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/boundary-widget.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 6, "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["tiles"] = tile_settings()
        context["city_bbox"] = ",".join(f"{v:g}" for v in city_bbox())
        return context
