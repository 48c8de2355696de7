"""Every index row of an object other than a page names its model (PostgreSQL).

A search of budget lines or categories now looks for the model's kind lexeme besides the words
(``search/backend.py``), so rows written before it need the lexeme: added here to the title
vector of every row whose content type no page has. New and re-indexed rows get it from the
indexer. On SQLite, nothing.
"""

from django.db import migrations


def add_kind_lexemes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        UPDATE wagtailsearch_indexentry AS entry
        SET title = entry.title || setweight(to_tsvector('simple', 'mbkind' || entry.content_type_id), 'D')
        WHERE NOT EXISTS (SELECT 1 FROM wagtailcore_page AS page WHERE page.content_type_id = entry.content_type_id)
          AND NOT entry.title @@ to_tsquery('simple', 'mbkind' || entry.content_type_id)
        """
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_no_parallel_search_scans"), ("wagtailsearch", "0010_add_text_fields")]

    # Removing the lexemes is not needed: a search without them ignores them.
    operations = [migrations.RunPython(add_kind_lexemes, migrations.RunPython.noop)]
