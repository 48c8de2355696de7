"""What searches keep in memory between requests, and when they read it again.

Every search needs the same few things besides its words: the locales, the private sections to
leave out, the query strings editors promoted, the site it is served for, the names and links
of the city's areas (``search/areas.py``). Reading them from the database for each search was a third of a large
city's search time, and they change only when someone edits pages, sections, locales or
promotions. So each worker keeps them (``held``) and reads them again when:

- something they come from is saved or deleted: ``changed`` (connected in ``search/apps.py``)
  writes a new version to the shared cache (Redis in production), which every worker compares
  with its own (once per search, in ``one_version``);
- or, whatever the cache says, after ``MAX_AGE`` seconds: the bound on how stale a worker can be
  when the cache is per process (no ``REDIS_URL``) or has lost the version. Without a working
  cache nothing is kept: every search reads everything.

Code that writes pages without signals (``bulk_create``: ``demo/generate.py``) calls
``changed`` itself.
"""

import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

#: Shared cache key of the version of what searches keep.
VERSION_KEY = "search:memo-version"
#: Seconds a worker trusts what it keeps at most.
MAX_AGE = 300

_kept = {}  # key → (version, time read, value)
_search_version = ContextVar("search_memo_version", default=None)


def held(key, read):
    """The value this worker keeps under ``key``, or ``read()`` (kept when the version is known)."""
    version = _search_version.get() or _version()
    entry = _kept.get(key)
    if entry is not None and version is not None and entry[0] == version and time.monotonic() - entry[1] < MAX_AGE:
        return entry[2]
    value = read()
    if version is not None:
        _kept[key] = (version, time.monotonic(), value)
    return value


@contextmanager
def one_version():
    """Within a search, the shared version is read from the cache once, not for each thing kept."""
    token = _search_version.set(_version())
    try:
        yield
    finally:
        _search_version.reset(token)


def _version():
    """The shared version; None when the cache cannot keep one."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def changed(**kwargs):
    """Tell every worker to read again what it keeps: now, and once the change is committed.

    Now, so this transaction's later searches see it; at the commit, since another worker may
    have read the old state in between under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def page_changed(sender, instance, **kwargs):
    """``post_save`` / ``post_delete`` receiver for every model: acts on pages only."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        changed()
