"""Map views that are not pages: "find my neighbourhood" and each map's GeoJSON.

Included by ``portal/urls.py`` inside ``i18n_patterns``, before Wagtail's catch-all.
"""

from django.urls import path

from maps import views

urlpatterns = [
    path("mapa/donde/", views.find, name="map_find"),
    path("mapa/<int:page_id>/geojson/", views.geojson, name="map_geojson"),
]
