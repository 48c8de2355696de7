"""Open-data downloads: ``/<lang>/datos/ciudad/<file>`` and ``/<lang>/datos/<scope>/<id>/<file>``.

Included by ``portal/urls.py`` inside ``i18n_patterns`` (so they answer under every language
prefix) and before Wagtail's catch-all. See ``opendata.exports`` for the scheme.
"""

from django.urls import re_path

from opendata import exports

FILENAME = r"(?P<filename>(?:obras|presupuesto)\.(?:csv|json|csv-metadata\.json)|obras\.geojson|areas\.geojson)"

urlpatterns = [
    re_path(rf"^datos/ciudad/{FILENAME}$", exports.download, name="opendata_city"),
    re_path(
        rf"^datos/(?P<scope>subalcaldia|barrio)/(?P<page_id>[0-9]+)/{FILENAME}$",
        exports.download,
        name="opendata_area",
    ),
]
