"""Site-wide views that are not pages: ``/robots.txt`` and the page of an expired form."""

from django.middleware import csrf
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    """Crawlers may read every public page but not the admin; the sitemap says where they all are."""
    context = {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason=""):
    """A form sent without its security token, or with an expired one (a page left open for
    hours, a cookie refused): the resident reads, in their language and in the site's layout,
    that their answers were not sent and how to send them again. HTTP 403."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    context = {"back_url": back, "no_cookie": reason == csrf.REASON_NO_CSRF_COOKIE}
    return render(request, "csrf_failure.html", context, status=403)
