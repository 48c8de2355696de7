"""``/sitemap.xml``: every language version of every live, public page, each naming the others.

Wagtail's sitemap lists the pages under the site's root page, which is the Spanish home page:
the Aymara, Quechua, Guaraní and English trees are its siblings and would be left out. This one
lists the pages of every language tree (translations, and the aliases that stand in for pages
not translated yet) and gives each ``<url>`` an ``<xhtml:link rel="alternate" hreflang="…">`` for
every live version of the page, itself included, as search engines ask.

Django's ``sitemap.xml`` template writes those links from ``url_info["alternates"]``; Django fills
them only for sitemaps whose items have one URL per active language, which is not how Wagtail
pages work (each language version is a page of its own), so ``_urls`` fills them here. A fixed
number of queries whatever the number of pages.
"""

from collections import defaultdict

from django.conf import settings

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.visibility import public_pages


class MultilingualSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = Page.objects.filter(translation_key=site.root_page.translation_key)
        in_a_tree = Page.objects.none()
        for root in roots:
            in_a_tree |= Page.objects.descendant_of(root, inclusive=True)
        pages = public_pages(Page.objects.filter(pk__in=in_a_tree.values("pk")))
        return pages.select_related("locale").order_by("path")

    def _urls(self, page, protocol, domain):
        urls = []
        object_list = self.paginator.page(page).object_list
        for item in object_list:
            url = item.get_full_url(self.request)
            if url:
                urls.append({"item": item, "location": url, "lastmod": self.lastmod(item), "alternates": []})
        # Every version of these pages, wherever the paginator put it (the trees are far apart in
        # path order): one query.
        versions = defaultdict(dict)
        for version in self.items().filter(translation_key__in=object_list.values("translation_key")):
            url = version.get_full_url(self.request)
            if url:
                versions[version.translation_key].setdefault(version.locale.language_code, url)
        for info in urls:
            by_language = versions[info["item"].translation_key]
            info["alternates"] = [
                {"lang_code": code, "location": by_language[code]}
                for code, _name in settings.LANGUAGES
                if code in by_language
            ]
            if settings.LANGUAGE_CODE in by_language:
                info["alternates"].append({"lang_code": "x-default", "location": by_language[settings.LANGUAGE_CODE]})
        lastmods = [info["lastmod"] for info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
