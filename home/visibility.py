"""What the public may see: the one rule every list, search, map, feed, sitemap, export and API asks.

A page is public when it is live, outside every private section (a page with a password,
log-in or group restriction, and everything under it), and no other language version of it
(same ``translation_key``) lies in a private section. The last clause is why this is not
Wagtail's ``PageQuerySet.public()``: a Spanish section made private stays private in every
language, but ``public()`` looks only at restrictions in each page's own tree, and the Aymara,
Quechua, Guaraní and English aliases and translations made before have none. (Wagtail itself
serves an alias behind its original's restrictions, ``Page.get_view_restrictions``.)

The condition uses only fields the search index can filter on (``path``, ``translation_key``),
so the search page asks the same rule.

- ``public_pages(queryset)``: the public pages of a page queryset (one query for the
  restrictions, where ``public()`` and ``not_public()`` would take two);
- ``private_q(paths)``: the matching condition, for callers that keep it (search keeps it in
  memory, see ``search/memo.py``);
- ``restricted_paths()`` and ``is_restricted(path, paths)``: the same rule for rows read without
  page instances (budget areas, open-data exports).
"""

from django.db.models import Q, QuerySet

from wagtail.models import Page, PageViewRestriction


def restricted_paths() -> list[str]:
    """Tree paths of every page behind a view restriction (its whole subtree is private)."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def is_restricted(path: str, restricted: list[str]) -> bool:
    """Whether the page at ``path`` lies in one of the private sections ``restricted``."""
    return any(path.startswith(prefix) for prefix in restricted)


def private_q(restricted: list[str] | None = None) -> Q:
    """A condition matching every page that is private: in a private section, or a version of one.

    Empty (matching nothing) when no section is private.
    """
    if restricted is None:
        restricted = restricted_paths()
    under_restriction = Q()
    for path in restricted:
        under_restriction |= Q(path__startswith=path)
    if not under_restriction:
        return Q(pk__in=[])
    private_keys = Page.objects.filter(under_restriction).values("translation_key")
    return under_restriction | Q(translation_key__in=private_keys)


def public_pages(queryset: QuerySet, restricted: list[str] | None = None) -> QuerySet:
    """The live pages of ``queryset`` that anyone may read."""
    queryset = queryset.live()
    if restricted is None:
        restricted = restricted_paths()
    if not restricted:
        return queryset
    return queryset.exclude(private_q(restricted))
