"""The city's areas as a search reads them: names to compare with the words, the submunicipalities
to narrow to, the areas a result is in ("Obra … · Cotahuma, Sopocachi").

Per language tree, the live and public submunicipalities and neighbourhoods, kept in each
worker's memory until pages change (``search/memo.py``).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page

from search.filters import area_models, public
from search.memo import held
from search.text import comparable


@dataclass(frozen=True)
class Area:
    """A submunicipality or neighbourhood, as a search shows and compares it."""

    pk: int
    title: str
    name: str  # the title folded and in lower case (``search.text.comparable``)
    depth: int
    path: str
    url_path: str
    translation_key: object
    is_submunicipality: bool


#: A name is matched by its beginning once the words are this long ("Sopo" → Sopocachi).
MIN_PREFIX_LENGTH = 3


class Areas:
    """The live, public areas of one language tree, and the ways a search looks them up."""

    def __init__(self, areas):
        self.all = areas
        self.by_path = {area.path: area for area in areas}
        self.by_pk = {area.pk: area for area in areas}
        self.by_key = {area.translation_key: area for area in areas}
        self.submunicipalities = sorted((a for a in areas if a.is_submunicipality), key=lambda a: (a.title, a.pk))
        # The ends of each name, from each of its words on ("subalcaldia cotahuma", "cotahuma"),
        # and by their first letters, so naming a place reads a few areas, not the whole city.
        self.by_end = defaultdict(set)
        self.by_end_start = defaultdict(set)
        for area in areas:
            words = area.name.split(" ")
            for first in range(len(words)):
                end = " ".join(words[first:])
                self.by_end[end].add(area)
                self.by_end_start[end[:MIN_PREFIX_LENGTH]].add((end, area))

    def named(self, words):
        """The areas whose name, or its end from one of its words on, is ``words`` (folded, lower
        case: ``search.text.comparable``), then those where such an end begins with them, the
        larger areas first, by name."""
        exact = self.by_end.get(words, set())
        begun = set()
        if len(words) >= MIN_PREFIX_LENGTH:
            begun = {
                area for end, area in self.by_end_start.get(words[:MIN_PREFIX_LENGTH], ()) if end.startswith(words)
            }
        ranked = [(0, area) for area in exact] + [(1, area) for area in begun - exact]
        return [
            area for _rank, area in sorted(ranked, key=lambda item: (item[0], item[1].depth, item[1].title, item[1].pk))
        ]

    def get(self, raw_id):
        """The area with id ``raw_id`` (as typed in an address), or None."""
        if not (raw_id or "").isascii() or not (raw_id or "").isdigit() or len(raw_id) > 18:
            return None
        return self.by_pk.get(int(raw_id))

    def submunicipality_of(self, area):
        """``area`` if it is a submunicipality, else the submunicipality it is in (None if not public)."""
        return area if area.is_submunicipality else self.by_path.get(area.path[: -Page.steplen])

    def neighborhoods_of(self, submunicipality):
        """The neighbourhoods of a submunicipality, by name."""
        children = (
            area
            for area in self.all
            if area.depth == submunicipality.depth + 1 and area.path.startswith(submunicipality.path)
        )
        return sorted(children, key=lambda area: (area.title, area.pk))

    def names_above(self, page):
        """The names of the areas ``page`` is in, the largest first ("Cotahuma", "Sopocachi")."""
        steps = range(Page.steplen, len(page.path), Page.steplen)
        return [area.title for step in steps if (area := self.by_path.get(page.path[:step])) is not None]


def areas_of(locale):
    """The areas of ``locale``'s tree (one query when not kept)."""
    return held(("areas", locale.pk), lambda: Areas(_read(locale)))


def _read(locale):
    submunicipality, neighborhood = area_models()
    submunicipality_type = ContentType.objects.get_for_model(submunicipality).pk
    rows = (
        public(Page.objects.live())
        .type(submunicipality, neighborhood)
        .filter(locale=locale)
        .order_by("path")
        .values_list("pk", "title", "depth", "path", "url_path", "translation_key", "content_type_id")
    )
    return [
        Area(pk, title, comparable(title), depth, path, url_path, key, content_type == submunicipality_type)
        for pk, title, depth, path, url_path, key, content_type in rows
    ]
