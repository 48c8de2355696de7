"""Panels of the admin's dashboard: a heading, a sentence and a table of what needs someone."""

from wagtail.admin.ui.components import Component


class DashboardPanel(Component):
    """A dashboard panel listing ``items``; its template extends ``home/admin/dashboard_panel.html``.

    Subclasses give ``name``, ``template_name`` and ``order``; the hook that adds one adds it only
    when there are items, so an empty panel never shows.
    """

    def __init__(self, items: list):
        self.items = items

    def get_context_data(self, parent_context=None):
        return {"items": self.items, "panel": self}
