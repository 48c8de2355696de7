"""No parallel workers for scans of the search index table (PostgreSQL).

A search reads the few thousand index rows that hold its words at most, a few milliseconds of
work; PostgreSQL planned a common word ("calle" in a city of 10,000 pages) as a parallel scan,
and starting the workers and merging their sorted rows doubled the query's time (27 ms against
13 ms alone, ``bench/search.py``). On SQLite, nothing.
"""

from django.db import migrations


def no_parallel_workers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE wagtailsearch_indexentry SET (parallel_workers = 0)")


def default_parallel_workers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE wagtailsearch_indexentry RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_page_id_text_index"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(no_parallel_workers, default_parallel_workers)]
