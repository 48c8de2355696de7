"""A deployment check: the rate limit must see each resident's own address behind a proxy."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxies_are_counted(app_configs, **kwargs):
    """Warn when a proxy is declared in front (``SECURE_PROXY_SSL_HEADER``) but not counted.

    With ``TRUSTED_PROXY_COUNT`` at 0 the portal takes the proxy's address for every resident's:
    the whole city shares one rate-limit bucket, and ten answers from anyone block everyone.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not getattr(settings, "TRUSTED_PROXY_COUNT", 0):
        return [
            Warning(
                "SECURE_PROXY_SSL_HEADER says a proxy is in front of the portal, but TRUSTED_PROXY_COUNT is 0: "
                "every resident would share the proxy's address and one rate limit.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For "
                "(1 behind a single reverse proxy).",
                id="participation.W001",
            )
        ]
    return []
