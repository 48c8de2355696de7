"""Protection of the public forms (consultations and feedback) against spam and abuse.

What a resident sees:

- A honeypot: a text field named ``website-url`` (a hyphen, so no field an editor builds can
  have the same key) that is hidden from people (``hidden``, so neither
  seen, nor read by screen readers, nor reached with the keyboard) and never filled in by the
  browser (``autocomplete="off"``). Robots that fill every field in get the normal thank-you page,
  but nothing is stored. Forms include it with ``{% include "participation/components/honeypot.html" %}``.
- A per-client rate limit: at most ``PARTICIPATION_RATE_LIMIT`` submissions (``"10/600"``: ten
  per 600 seconds) from one address to one form. Past it the resident gets HTTP 429, the form
  again with every answer kept, and a message in their language saying how many minutes to wait
  (:func:`rate_limit_message`). The counts live in Django's cache (Redis in production,
  ``REDIS_URL``); when the cache is unreachable nobody is refused.
- Maximum lengths on every answer (:func:`limit_lengths`), with the error next to the field.

The client's address is ``REMOTE_ADDR`` unless the portal runs behind ``TRUSTED_PROXY_COUNT``
reverse proxies, each of which appends the address it received the request from to
``X-Forwarded-For`` (``home.clients.client_ip``). The header is never trusted otherwise: anyone can send it.
"""

import hashlib
import ipaddress
import math
import time

from django import forms
from django.conf import settings
from django.core import validators
from django.core.cache import cache
from django.utils.translation import gettext_lazy, ngettext_lazy

from home.clients import client_ip

HONEYPOT_FIELD = "website-url"

SINGLE_LINE_MAX_LENGTH = 500
MULTI_LINE_MAX_LENGTH = 5000
NUMBER_LIMIT = 10**12

DEFAULT_RATE_LIMIT = "10/600"

# What residents read, in their language.
RATE_LIMIT_MESSAGE = ngettext_lazy(
    "Too many answers have been sent from your connection in a short time. Your answers "
    "are kept below but were not sent yet: please wait %(minutes)d minute and send the "
    "form again.",
    "Too many answers have been sent from your connection in a short time. Your answers "
    "are kept below but were not sent yet: please wait %(minutes)d minutes and send the "
    "form again.",
    "minutes",
)
MAX_LENGTH_MESSAGE = ngettext_lazy(
    "Please shorten this answer to at most %(limit)d character (it has %(length)d).",
    "Please shorten this answer to at most %(limit)d characters (it has %(length)d).",
    "limit",
)
MAX_CHOICES_MESSAGE = ngettext_lazy("Choose at most %(limit)d option.", "Choose at most %(limit)d options.", "limit")
NUMBER_TOO_SMALL_MESSAGE = gettext_lazy("Please enter a number no smaller than %(limit_value)s.")
NUMBER_TOO_LARGE_MESSAGE = gettext_lazy("Please enter a number no larger than %(limit_value)s.")


def honeypot_tripped(request):
    """True when the hidden field people never see came back filled in: a robot sent the form."""
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def rate_limit():
    """(submissions, seconds) from ``PARTICIPATION_RATE_LIMIT`` ("10/600"); a malformed value
    falls back to the default rather than switching the limit off."""
    value = str(getattr(settings, "PARTICIPATION_RATE_LIMIT", DEFAULT_RATE_LIMIT) or DEFAULT_RATE_LIMIT)
    try:
        count, seconds = (int(part) for part in value.split("/", 1))
        if count < 1 or seconds < 1:
            raise ValueError(value)
    except ValueError:
        count, seconds = (int(part) for part in DEFAULT_RATE_LIMIT.split("/"))
    return count, seconds


def _client_key(request):
    """The cache key part for a client. IPv6 clients are counted per /64 network, the block one
    household or phone usually gets, so that rotating addresses inside it does not help."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return hashlib.sha256(address.encode()).hexdigest()[:32]
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address) + "/64"
    return str(parsed)


def _keys(request, scope):
    digest = hashlib.sha256(f"{scope}|{_client_key(request)}".encode()).hexdigest()[:40]
    return f"participation-rate:{digest}", f"participation-rate-start:{digest}"


def rate_limited(request, scope):
    """Count one submission from this client to ``scope`` (e.g. the form page's id) and say
    whether it is over the limit. Atomic on Redis and in one process (cache ``add`` + ``incr``);
    if the cache cannot be reached the submission is let through."""
    limit, window = rate_limit()
    count_key, start_key = _keys(request, scope)
    try:
        if cache.add(count_key, 0, timeout=window):
            cache.set(start_key, time.time(), timeout=window)
        count = cache.incr(count_key)
    except ValueError:
        # The window ended between add and incr: this is the first submission of a new one
        # (or, if another request started it meanwhile, one more in it).
        try:
            if cache.add(count_key, 1, timeout=window):
                cache.set(start_key, time.time(), timeout=window)
                count = 1
            else:
                count = cache.incr(count_key)
        except Exception:  # noqa: BLE001 - a cache outage must never refuse a resident
            return False
    except Exception:  # noqa: BLE001 - a cache outage must never refuse a resident
        return False
    if count is None:  # django-redis with IGNORE_EXCEPTIONS when Redis is down
        return False
    return count > limit


def retry_after(request, scope):
    """Seconds until this client may send to ``scope`` again (at least one)."""
    limit, window = rate_limit()
    _count_key, start_key = _keys(request, scope)
    try:
        started = cache.get(start_key)
    except Exception:  # noqa: BLE001
        started = None
    if not started:
        return window
    return max(1, math.ceil(started + window - time.time()))


def rate_limit_message(request, scope):
    """What a resident over the limit reads, in their language: their answers were not sent yet,
    and how many minutes to wait before sending again."""
    minutes = max(1, math.ceil(retry_after(request, scope) / 60))
    return str(RATE_LIMIT_MESSAGE % {"minutes": minutes})


class _MaxLength(validators.MaxLengthValidator):
    def __call__(self, value):
        if len(value) > self.limit_value:
            raise forms.ValidationError(
                str(MAX_LENGTH_MESSAGE % {"limit": self.limit_value, "length": len(value)}), code="max_length"
            )


class _MaxChoices:
    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        if value and len(value) > self.limit:
            raise forms.ValidationError(str(MAX_CHOICES_MESSAGE % {"limit": self.limit}), code="max_choices")

    def __eq__(self, other):
        return isinstance(other, _MaxChoices) and other.limit == self.limit


def _number_bounds(field):
    low = validators.MinValueValidator(-NUMBER_LIMIT, message=NUMBER_TOO_SMALL_MESSAGE)
    high = validators.MaxValueValidator(NUMBER_LIMIT, message=NUMBER_TOO_LARGE_MESSAGE)
    if field.min_value is None or field.min_value < -NUMBER_LIMIT:
        field.min_value = -NUMBER_LIMIT
        field.validators.append(low)
        field.widget.attrs["min"] = -NUMBER_LIMIT
    if field.max_value is None or field.max_value > NUMBER_LIMIT:
        field.max_value = NUMBER_LIMIT
        field.validators.append(high)
        field.widget.attrs["max"] = NUMBER_LIMIT


def limit_lengths(form):
    """Bound every answer of a form built from editors' fields: single-line texts (and e-mail,
    web address, hidden) to 500 characters, or less where the field already had a smaller limit
    (255 for Wagtail's single line, 320 for an e-mail), long texts to 5,000, numbers to ±10¹²,
    and a multiple choice to as many options as it offers (no repeats to inflate it). Errors are
    shown next to the field, in the resident's language. Returns the form."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            limit = MULTI_LINE_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else SINGLE_LINE_MAX_LENGTH
            if field.max_length is None or field.max_length > limit:
                field.max_length = limit
            # Django's own validator (built with the original max_length) is replaced by ours.
            field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)] + [
                _MaxLength(field.max_length)
            ]
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["maxlength"] = str(field.max_length)
        elif isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
            _number_bounds(field)
        elif isinstance(field, forms.MultipleChoiceField):
            limit = max(1, len(list(field.choices)))
            if _MaxChoices(limit) not in field.validators:
                field.validators.append(_MaxChoices(limit))
    return form
