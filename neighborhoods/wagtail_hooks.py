"""What the place tree adds to the city's home page: its submunicipalities and latest news."""

from wagtail import hooks

from home.visibility import public_pages
from neighborhoods.models import NewsPage, SubmunicipalityPage


@hooks.register("home_page_context")
def add_areas_and_news(page, request, context):
    context["submunicipalities"] = public_pages(SubmunicipalityPage.objects.child_of(page)).order_by("title")
    context["latest_news"] = public_pages(NewsPage.objects.descendant_of(page)).order_by("-date", "-pk")[:5]
