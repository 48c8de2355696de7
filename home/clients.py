"""Who is asking: the address of the client behind the portal's trusted proxies.

Asked by the public forms' rate limit (``participation.abuse``) and by the log-in lockout
(django-axes, ``AXES_CLIENT_IP_CALLABLE``), so both count the same person the same way.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The resident's address: ``REMOTE_ADDR``, or behind N trusted proxies the Nth address from
    the right of ``X-Forwarded-For`` (each proxy appends the address that connected to it, so
    entries further left may have been written by the client and are ignored)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies >= 1:
        forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [item for item in forwarded if item]
        if len(forwarded) >= proxies:
            address = _valid_ip(forwarded[-proxies])
            if address:
                return address
    return _valid_ip(remote) or remote
