"""A new submunicipality gets its team (editors, reviewers, collection, workflow) at once."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from neighborhoods.models import SubmunicipalityPage
from teams.governance import set_up_area


@receiver(post_save, sender=SubmunicipalityPage)
def give_new_area_its_team(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        set_up_area(instance)
