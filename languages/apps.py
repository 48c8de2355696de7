from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = _("Languages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from languages.aliases import connect_signals

        connect_signals()
