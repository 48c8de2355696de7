"""Public URLs of the neighbourhoods app that are not pages: open-data downloads and map views.

Included by ``portal/urls.py`` inside ``i18n_patterns`` (so they answer under every language
prefix) and before Wagtail's catch-all. See ``neighborhoods.opendata`` for the scheme.
"""

from django.urls import path, re_path

from neighborhoods import opendata
from neighborhoods.views import maps

FILENAME = r"(?P<filename>(?:obras|presupuesto)\.(?:csv|json|csv-metadata\.json)|obras\.geojson|areas\.geojson)"

urlpatterns = [
    re_path(rf"^datos/ciudad/{FILENAME}$", opendata.download, name="opendata_city"),
    re_path(
        rf"^datos/(?P<scope>subalcaldia|barrio)/(?P<page_id>[0-9]+)/{FILENAME}$",
        opendata.download,
        name="opendata_area",
    ),
    path("mapa/donde/", maps.find, name="map_find"),
    path("mapa/<int:page_id>/geojson/", maps.geojson, name="map_geojson"),
]
