"""The locale lexeme names only live pages (PostgreSQL).

A search of a language tree may now rank from the index alone (``search.backend.found_rows``),
trusting the locale lexeme to say a page is live; the indexer leaves it out of pages not live
(``FoldingObjectIndexer.title``), and this removes it from the rows of pages that were not live
when indexed before. On SQLite, nothing.
"""

from django.db import migrations


def drop_lexeme_of_pages_not_live(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        UPDATE wagtailsearch_indexentry AS entry
        SET title = ts_delete(entry.title, 'mblocale' || page.locale_id)
        FROM wagtailcore_page AS page
        WHERE entry.object_id = page.id::text AND entry.content_type_id = page.content_type_id
          AND NOT page.live AND entry.title @@ to_tsquery('simple', 'mblocale' || page.locale_id)
        """
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_kind_lexemes"), ("wagtailcore", "0001_initial")]

    # Going back needs nothing: the join on live pages that searches then use ignores the lexeme.
    operations = [migrations.RunPython(drop_lexeme_of_pages_not_live, migrations.RunPython.noop)]
