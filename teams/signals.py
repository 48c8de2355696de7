"""A language added later is translatable at once.

A new home page in a language other than the default one (an alias made by the locale's
synchronisation, or a translation) gets the Translators' permissions when it is created, so a
language added later needs no new run of ``setup_governance``. (Before the Translators group
exists there is no one to give them to: ``setup_governance`` makes the group and grants on
every language's home page.)
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from home.models import HomePage
from teams.governance import open_language_tree_to_translators


@receiver(post_save, sender=HomePage)
def let_translators_into_new_language_tree(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        open_language_tree_to_translators(instance)
