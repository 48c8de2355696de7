from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = _("Neighbourhoods")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from neighborhoods import signals  # noqa: F401 - connects the receivers
