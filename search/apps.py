from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.contrib.search_promotions.models import SearchPromotion
        from wagtail.models import Locale, PageViewRestriction, Site
        from wagtail.signals import post_page_move

        from search import memo

        # What searches keep in memory is read again after any change to pages, private
        # sections, locales, promotions or sites (see search/memo.py).
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(memo.page_changed, dispatch_uid=f"search.memo.page_{name}")
            for model in (PageViewRestriction, Locale, SearchPromotion, Site):
                signal.connect(memo.changed, sender=model, dispatch_uid=f"search.memo.{model.__name__}_{name}")
        post_page_move.connect(memo.changed, dispatch_uid="search.memo.page_moved")
