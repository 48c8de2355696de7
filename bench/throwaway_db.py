"""The benchmarks' throw-away PostgreSQL database: created empty, dropped at the end."""

import sys
from urllib.parse import urlparse


def recreate_database(url):
    """Drop and create the database ``url`` names; refuse any name without "bench" in it."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or "bench" not in name:
        sys.exit("DATABASE_URL must name a PostgreSQL database with 'bench' in its name (it is dropped).")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def drop_database(admin, name):
    from django.db import connections

    import psycopg

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
