"""Which submunicipalities a user works on, and what lies inside them.

A team is keyed by its submunicipality's ``translation_key``, so every language copy of the
area belongs to it. The answers are plain ``Page`` querysets: this app sits below the place
tree and never needs its page classes.
"""

from django.db.models import Q, QuerySet

from wagtail.models import Locale, Page

from teams.models import AreaTeam


def teams_of(user) -> QuerySet:
    """The area teams one of whose groups ``user`` belongs to."""
    if not user.is_authenticated or not user.is_active:
        return AreaTeam.objects.none()
    groups = user.groups.all()
    return AreaTeam.objects.filter(Q(editors__in=groups) | Q(reviewers__in=groups)).distinct()


def submunicipalities_of(user, locale=None) -> QuerySet:
    """The submunicipality pages (every language, or ``locale``'s) of ``user``'s teams."""
    pages = Page.objects.filter(translation_key__in=teams_of(user).values_list("translation_key", flat=True))
    if locale is not None:
        pages = pages.filter(locale=locale)
    return pages


def subtree_filter(pages, prefix: str = "") -> Q:
    """A Q matching every page at or below one of ``pages`` (``prefix`` for a relation, e.g. ``area__``)."""
    condition = Q(pk__in=[])
    for path in pages.values_list("path", flat=True):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def team_for_page(page) -> AreaTeam | None:
    """The team of the submunicipality that contains ``page`` (None outside any area)."""
    keys = Page.objects.ancestor_of(page, inclusive=True).values("translation_key")
    return AreaTeam.objects.filter(translation_key__in=keys).first()


def translations_waiting_for(user, limit: int = 20) -> list:
    """Translations in ``user``'s areas that a reviewer has yet to publish, newest change first.

    A page in another language than the default one, not an alias, with changes not yet published:
    a translator's work (from wagtail-localize, or from Wagtail's own editor) waiting for the
    area's reviewers, who publish it. Superusers see every area's; anyone else, only the areas
    whose Reviewers group they are in.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    pages = Page.objects.exclude(locale=Locale.get_default()).filter(
        alias_of__isnull=True, has_unpublished_changes=True
    )
    if not user.is_superuser:
        reviewed = AreaTeam.objects.filter(reviewers__in=user.groups.all()).values("translation_key")
        pages = pages.filter(subtree_filter(Page.objects.filter(translation_key__in=reviewed)))
    return list(pages.select_related("locale").order_by("-latest_revision_created_at", "-pk")[:limit])
