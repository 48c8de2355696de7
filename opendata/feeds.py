"""RSS and Atom feeds of a neighbourhood or a submunicipality: "follow your neighbourhood".

A resident on a cheap phone follows an area in any feed reader instead of opening the portal to
check for news. Each feed lists what happened in the area, newest first: works published, dated
progress updates of those works, news and consultations as they open.

The feeds are routes of the area pages (``<page url>feed/rss/`` and ``<page url>feed/atom/``, see
``neighborhoods.models``), so they are served under the reader's language prefix from that
language's page tree: items are that tree's pages (translations, or aliases of the Spanish pages
where nothing is translated yet), their links go to the pages in that language and the words the
portal adds ("New work: …") are in that language. Only live pages outside private sections appear
(nor other language versions of private pages: ``home.visibility``); an area that is itself a draft
or private has no feed (Wagtail's serving rules apply to the route).

Each kind of item comes from one *item source*: a function ``(area, request, limit) -> [FeedItem]``
listed in ``ITEM_SOURCES``. A source runs a fixed number of queries whatever the number of items,
and returns at most ``limit`` of its newest items; the feed merges them and keeps the newest
``FEED_LENGTH``. To add a kind of item, write one more source and append it to ``ITEM_SOURCES``.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from home.visibility import public_pages
from neighborhoods.models import NewsPage
from participation.models import ConsultationPage
from works.models import PublicWorkPage, PublicWorkUpdate

FEED_LENGTH = 30


@dataclass
class FeedItem:
    guid: str  # unique and stable: never changes when the page is renamed or moved
    title: str
    description: str
    link: str  # absolute
    date: datetime.datetime  # aware
    kind: str  # "work", "update", "news"…: the item's category in the feed


def _guid(area, request, kind, pk):
    """A ``tag:`` URI (RFC 4151) naming one item of this portal, e.g. ``tag:example.org,2026:update/12``,
    on the host of the site's own URLs (whatever host the feed was asked on).

    Page ids differ between language trees (a translation or an alias is a page of its own), so
    the same work followed in two languages gives two items, each unique.
    """
    return f"tag:{urlsplit(area.get_full_url(request)).hostname},2026:{kind}/{pk}"


def _start_of(date):
    """A date (news, progress updates) as the start of that day in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def _works(area):

    return public_pages(PublicWorkPage.objects.descendant_of(area))


def new_works(area, request, limit):
    """Each published work, dated when it was first published."""
    works = _works(area).exclude(first_published_at=None).order_by("-first_published_at", "-pk")[:limit]
    return [
        FeedItem(
            guid=_guid(area, request, "work", work.pk),
            title=_("New work: %(title)s") % {"title": work.title},
            description=work.summary,
            link=work.get_full_url(request),
            date=work.first_published_at,
            kind="work",
        )
        for work in works
    ]


def progress_updates(area, request, limit):
    """Each dated entry in the timeline of a published work."""

    updates = (
        PublicWorkUpdate.objects.filter(page__in=_works(area).values("pk"))
        .select_related("page")
        .order_by("-date", "-pk")[:limit]
    )
    items = []
    for update in updates:
        work_url = update.page.get_full_url(request)
        items.append(
            FeedItem(
                guid=_guid(area, request, "update", update.pk),
                title=_("Progress on %(work)s") % {"work": update.page.title},
                description=update.text,
                link=f"{work_url}#timeline-heading",
                date=_start_of(update.date),
                kind="update",
            )
        )
    return items


def news_items(area, request, limit):
    """Each published piece of news of the area (and, for a submunicipality, of its neighbourhoods)."""

    news = public_pages(NewsPage.objects.descendant_of(area)).defer_streamfields().order_by("-date", "-pk")[:limit]
    return [
        FeedItem(
            guid=_guid(area, request, "news", item.pk),
            title=item.title,
            description=item.intro,
            link=item.get_full_url(request),
            date=_start_of(item.date),
            kind="news",
        )
        for item in news
    ]


def consultations_opening(area, request, limit):
    """Each published consultation of the area, dated when it opens (not before: an upcoming
    consultation enters the feed on its opening day, when residents can answer)."""

    consultations = (
        public_pages(ConsultationPage.objects.descendant_of(area))
        .filter(opens_at__lte=timezone.now())
        .order_by("-opens_at", "-pk")[:limit]
    )
    return [
        FeedItem(
            guid=_guid(area, request, "consultation", consultation.pk),
            title=_("Consultation open: %(title)s") % {"title": consultation.title},
            description=consultation.question,
            link=consultation.get_full_url(request),
            date=consultation.opens_at,
            kind="consultation",
        )
        for consultation in consultations
    ]


ITEM_SOURCES = [new_works, progress_updates, news_items, consultations_opening]


def area_items(area, request, limit=FEED_LENGTH):
    """The newest ``limit`` items of every source, newest first."""
    items = [item for source in ITEM_SOURCES for item in source(area, request, limit)]
    items.sort(key=lambda item: (item.date, item.guid), reverse=True)
    return items[:limit]


class AreaRssFeed(Feed):
    """The RSS 2.0 feed of an area page, for the language it is served in."""

    feed_type = Rss201rev2Feed
    route = "feed/rss/"

    def __call__(self, request, page):
        self.request = request
        return super().__call__(request, page=page)

    def get_object(self, request, page):
        return page

    def title(self, page):
        return f"{page.title} · {settings.WAGTAIL_SITE_NAME}"

    def link(self, page):
        return page.get_full_url(self.request)

    def feed_url(self, page):
        return page.get_full_url(self.request) + self.route

    def description(self, page):
        return _("New public works, progress updates and news of %(area)s.") % {"area": page.title}

    def items(self, page):
        return area_items(page, self.request)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.date

    def item_categories(self, item):
        return [item.kind]


class AreaAtomFeed(AreaRssFeed):
    """The same feed in Atom 1.0."""

    feed_type = Atom1Feed
    route = "feed/atom/"

    def subtitle(self, page):
        return self.description(page)


def area_feed(page, request, kind):
    """The response of the ``feed/rss/`` or ``feed/atom/`` route of ``page``."""
    feed = AreaAtomFeed() if kind == "atom" else AreaRssFeed()
    return feed(request, page)
