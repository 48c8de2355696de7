"""An index on each page's id as text (PostgreSQL).

modelsearch joins pages to their index rows on ``page.id::varchar = indexentry.object_id``; the
cast keeps PostgreSQL from using the page table's primary key, so it read every page of the
language to find the few that matched. With this index it looks up just those. On SQLite,
nothing.
"""

from django.db import migrations

INDEX = "mb_search_page_id_text"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page ((((id)::character varying(50))::text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_title_body_index"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
