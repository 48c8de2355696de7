"""What an area's reviewers find on their dashboard: the translations waiting for them."""

from wagtail import hooks

from home.panels import DashboardPanel
from teams.areas import translations_waiting_for


class TranslationsWaitingPanel(DashboardPanel):
    """The translations in the reviewer's areas (every area for administrators) not yet published."""

    name = "translations-waiting"
    template_name = "teams/admin/translations_waiting_panel.html"
    order = 40


@hooks.register("construct_homepage_panels")
def add_translations_waiting_panel(request, panels):
    pages = translations_waiting_for(request.user)
    if pages:
        panels.append(TranslationsWaitingPanel(pages))
