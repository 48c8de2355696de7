"""The licence under which the portal publishes its figures (budget pages, open-data files)."""

from django.conf import settings

DEFAULT_LICENSE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


def open_data_license():
    """The licence every download states: ``settings.OPEN_DATA_LICENSE`` as {"name", "url"}."""
    value = getattr(settings, "OPEN_DATA_LICENSE", None) or DEFAULT_LICENSE
    if isinstance(value, str):
        value = {"name": value, "url": DEFAULT_LICENSE["url"] if value == DEFAULT_LICENSE["name"] else ""}
    return {"name": value.get("name", ""), "url": value.get("url", "")}
