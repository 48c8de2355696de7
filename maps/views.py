"""Public map views: a page's map data (GeoJSON) and "find my neighbourhood".

Both answer under every language prefix (``/<lang>/mapa/...``, see ``maps/urls.py``).
"""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from wagtail.models import Page, Site

from home.models import HomePage
from home.visibility import public_pages
from maps.place_maps import find_neighborhood, map_for_page, map_items, parse_point
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage


def geojson(request, page_id):
    """The features of a page's map (outlines and works), for the interactive map.

    Only what the page itself shows: a published, public home, submunicipality or neighbourhood
    page, and its published, public areas or works. Anything else is a 404.
    """

    page = public_pages(Page.objects).filter(pk=page_id).specific().first()
    if not isinstance(page, HomePage | SubmunicipalityPage | NeighborhoodPage):
        raise Http404
    place_map = map_for_page(page, map_items(page), request)
    response = JsonResponse(place_map.geojson(), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _home_url(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return "/"
    home = site.root_page.localized
    return home.get_url(request) or "/"


def find(request):
    """Which neighbourhood holds the point ``?lat=&lon=``: go to its page in the reader's language.

    Without a point, the form; with a bad one, the form and what is wrong (400); with a point in
    no neighbourhood, a message with links to the list and to search (404).
    """
    lat, lon = request.GET.get("lat", "").strip(), request.GET.get("lon", "").strip()
    context = {"lat": lat[:40], "lon": lon[:40]}
    status = 200
    if lat or lon:
        point, error = parse_point(lat, lon)
        if error:
            context["error"], status = error, 400
        else:
            neighborhood = find_neighborhood(*point)
            url = neighborhood.get_url(request) if neighborhood is not None else None
            if url:
                return redirect(url)
            context["not_found"], context["home_url"], status = True, _home_url(request), 404
    return TemplateResponse(request, "maps/find.html", context, status=status)
