"""``{% place_map page items %}``: a page's map (see ``maps.place_maps``)."""

from django import template

from maps.place_maps import MARKER_SHAPES, map_for_page
from neighborhoods.geo import tile_settings

register = template.Library()


@register.inclusion_tag("maps/components/map.html", takes_context=True)
def place_map(context, page, items):
    """The map of ``page`` drawing ``items``: the submunicipalities (home page), the neighbourhoods
    (submunicipality) or the works (neighbourhood) that the page lists. Pass the page's own list
    so that the map costs no query of its own.
    """
    return {
        "request": context.get("request"),
        "page": page,
        "map": map_for_page(page, items, context.get("request")),
        "marker_shapes": MARKER_SHAPES.items(),
        "tiles": tile_settings(),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
