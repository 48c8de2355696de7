"""A GIN index on the concatenation of the search index's title and body vectors (PostgreSQL).

modelsearch indexes ``title`` and ``body`` separately but searches ``title || body``, which no
index serves: every search read the whole table (see ``search/backend.py``). On SQLite, nothing.
"""

from django.db import migrations

INDEX = "mb_search_indexentry_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop)]
