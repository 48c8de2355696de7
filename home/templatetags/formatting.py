"""How the portal writes amounts, dates, rates and progress: one filter each.

``{% load formatting %}``, then ``{{ line.amount_allocated|money }}``, ``{{ page.date|day }}``,
``{{ line.execution_rate|rate }}``, ``{{ work.progress|progress }}``. Numbers follow the
reader's language (Bolivian usage in es, ay, qu and gn: ``Bs 1.250.000,50``).
"""

from django import template
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

DASH = "—"


@register.filter
def money(amount):
    """An amount in bolivianos, e.g. "Bs 100.000,00" in Spanish; a dash when there is none."""
    if amount is None:
        return format_html('<span class="money">{}</span>', DASH)
    return format_html(
        '<span class="money"><abbr title="{}">Bs</abbr>&nbsp;{}</span>',
        gettext("bolivianos"),
        floatformat(amount, "2g"),
    )


@register.filter
def day(value):
    """A date readers can read and machines can parse; a dash when there is none."""
    if not value:
        return DASH
    return format_html('<time datetime="{}">{}</time>', format_date(value, "Y-m-d"), format_date(value, "DATE_FORMAT"))


@register.filter
def rate(value):
    """An execution rate as a percentage with one decimal ("45,6 %"); a dash when unknown."""
    if value is None:
        return DASH
    return gettext("%(rate)s %%") % {"rate": floatformat(value, "1")}


@register.filter
def progress(value):
    """A work's progress: the percentage as text (what assistive technology reads) and a bar for the eye."""
    return format_html(
        '<span class="progress-value">{}</span> <progress max="100" value="{}" aria-hidden="true"></progress>',
        gettext("%(value)s %%") % {"value": value},
        value,
    )
