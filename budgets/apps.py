from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Budgets")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from budgets import permissions  # noqa: F401 - registers the policy and receivers
