"""Create the five content languages and the Spanish home page as the site's root."""

from django.db import migrations

LANGUAGE_CODES = ["es", "ay", "qu", "gn", "en"]


def create_locales_and_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)
    spanish = Locale.objects.get(language_code="es")

    # Wagtail's own first migration makes a plain welcome page; the portal's home replaces it.
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    home = HomePage.objects.create(
        title="Mi Barrio",
        draft_title="Mi Barrio",
        slug="inicio",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/inicio/",
        locale=spanish,
        live=True,
        intro="Lo que pasa en tu barrio: obras, presupuestos, consultas y noticias.",
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Mi Barrio")
    Page.objects.filter(depth=1).update(numchild=1)


def remove_home(apps, schema_editor):
    apps.get_model("home.HomePage").objects.filter(slug="inicio", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_locales_and_home, remove_home)]
