"""Keep governance in step with the page tree.

- A new submunicipality gets its team at once.
- A new home page in a language other than the default one (an alias made by the locale's
  synchronisation, or a translation) gets the Translators' permissions at once, so a language
  added later is translatable without running ``setup_governance`` again. (Before the
  Translators group exists there is no one to give them to: ``setup_governance`` makes the
  group and grants on every language's home page.)
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from home.models import HomePage
from neighborhoods.governance import open_language_tree_to_translators, set_up_area
from neighborhoods.models import SubmunicipalityPage


@receiver(post_save, sender=SubmunicipalityPage)
def give_new_area_its_team(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        set_up_area(instance)


@receiver(post_save, sender=HomePage)
def let_translators_into_new_language_tree(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        open_language_tree_to_translators(instance)
