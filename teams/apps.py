from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Area teams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from teams import signals  # noqa: F401 - connects the receivers
