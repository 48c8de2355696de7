"""Template tags for the consultations of an area: ``{% area_consultations page as consultations %}``."""

import datetime

from django import template
from django.utils import timezone

from home.visibility import public_pages
from participation.models import ConsultationPage

register = template.Library()

# How long a closed consultation stays listed with its results, and how many are listed.
CLOSED_LISTED_FOR = datetime.timedelta(days=180)
LIMIT = 12


class AreaConsultations:
    """An area's consultations in three lists: open (closing soonest first), upcoming (opening
    soonest first) and recently closed (latest first, for their results)."""

    def __init__(self, consultations, now):
        self.open = [c for c in consultations if c.opens_at <= now < c.closes_at]
        self.upcoming = [c for c in consultations if now < c.opens_at]
        self.closed = sorted((c for c in consultations if c.closes_at <= now), key=lambda c: c.closes_at, reverse=True)
        self.open.sort(key=lambda c: c.closes_at)
        self.upcoming.sort(key=lambda c: c.opens_at)

    def __bool__(self):
        return bool(self.open or self.upcoming or self.closed)


@register.simple_tag
def area_consultations(area):
    """The consultations published under ``area`` (a home, submunicipality or neighbourhood page,
    in the reader's language tree). One query, whatever the number of consultations."""

    now = timezone.now()
    consultations = list(
        public_pages(ConsultationPage.objects.descendant_of(area))
        .filter(closes_at__gt=now - CLOSED_LISTED_FOR)
        .order_by("closes_at")[:LIMIT]
    )
    return AreaConsultations(consultations, now)
