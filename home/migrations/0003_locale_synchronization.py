"""Aymara, Quechua, Guaraní and English follow the Spanish tree until translated.

Each of these locales gets wagtail-localize's "synchronise content from" setting pointing at
Spanish, so every Spanish page has an alias (a live copy that follows its source) in each of
them until a translator replaces it with a translation.

A migration saves rows through historical models, so wagtail-localize's own ``post_save``
receiver (which would build the alias trees) does not run here: ``home.localization`` does that
after ``migrate`` (``post_migrate``) and whenever a page is published.
"""

from django.db import migrations

SOURCE = "es"
TARGETS = ["ay", "qu", "gn", "en"]


def synchronise_from_spanish(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")

    source = Locale.objects.filter(language_code=SOURCE).first()
    if source is None:
        return
    for locale in Locale.objects.filter(language_code__in=TARGETS):
        # A locale synchronises from at most one other (one-to-one): keep an editor's choice.
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": source})


def stop_synchronising(apps, schema_editor):
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    LocaleSynchronization.objects.filter(locale__language_code__in=TARGETS, sync_from__language_code=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_locales_and_home_page"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(synchronise_from_spanish, stop_synchronising)]
