"""Set up an area's team as soon as its submunicipality page exists."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from neighborhoods.governance import set_up_area
from neighborhoods.models import SubmunicipalityPage


@receiver(post_save, sender=SubmunicipalityPage)
def give_new_area_its_team(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        set_up_area(instance)
