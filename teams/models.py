"""Who looks after each submunicipality: its editors, reviewers, collection and workflow."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaTeam(models.Model):
    """The municipal team of one submunicipality, in every language.

    Made by ``teams.governance.set_up_area`` when a submunicipality page is created
    (or by ``manage.py setup_governance``). It is keyed by the page's ``translation_key`` so
    the Aymara, Quechua, Guaraní and English copies of the area belong to the same team.
    """

    translation_key = models.UUIDField(_("translation key of the submunicipality"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    editors = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("editors"))
    reviewers = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewers"))
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.PROTECT, related_name="+", verbose_name=_("collection")
    )
    workflow = models.OneToOneField(
        "wagtailcore.Workflow", on_delete=models.PROTECT, related_name="+", verbose_name=_("workflow")
    )

    class Meta:
        verbose_name = _("area team")
        verbose_name_plural = _("area teams")

    def __str__(self):
        return self.name
