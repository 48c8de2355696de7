"""Server-rendered, accessible SVG charts for the budget pages: no chart library, no JavaScript.

Each chart is one ``<svg role="img">`` whose ``<title>`` and ``<desc>`` are its text alternative
(referenced by ``aria-labelledby``), and the page always puts a data table with the same figures
next to it: the chart is for the eye, the table for everyone. Labels and numbers are written in
the reader's language and number format. Every piece of text is escaped.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ALLOCATED_COLOUR = "#9db8d9"  # light blue: what was allocated
EXECUTED_COLOUR = "#1f5c99"  # dark blue: what was spent (contrast with white above 4.5:1)
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#767676"

WIDTH = 720
LABEL_WIDTH = 210
VALUE_WIDTH = 130
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 14
LEGEND_HEIGHT = 28


def money(value):
    """An amount as the reader writes it, without decimals: 1.250.000 in Spanish."""
    return number_format(Decimal(value or 0), decimal_pos=0, use_l10n=True, force_grouping=True)


def percent(value):
    if value is None:
        return "—"
    return _("%(rate)s %%") % {"rate": number_format(value, decimal_pos=1, use_l10n=True)}


def _truncate(label, length=30):
    return label if len(label) <= length else label[: length - 1] + "…"


def _svg(chart_id, title, description, width, height, body):
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )


def _legend(series, colours, y=10):
    parts = []
    x = LABEL_WIDTH
    for name, colour in zip(series, colours, strict=True):
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{y + 10}" fill="{TEXT_COLOUR}">{escape(name)}</text>')
        x += 28 + 8 * len(name)
    return parts


def grouped_bar_chart(groups, *, chart_id, title, description, series):
    """Horizontal bars, two per group: ``groups`` is a list of ``(label, allocated, executed)``."""
    scale_max = max((max(Decimal(a or 0), Decimal(e or 0)) for _label, a, e in groups), default=Decimal("0"))
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group_height = 2 * BAR_HEIGHT + BAR_GAP
    height = LEGEND_HEIGHT + len(groups) * (group_height + GROUP_GAP) + 4
    body = _legend(series, (ALLOCATED_COLOUR, EXECUTED_COLOUR))
    y = LEGEND_HEIGHT + 4
    for label, allocated, executed in groups:
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + group_height / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(_truncate(str(label)))}</text>'
        )
        for offset, value, colour in (
            (0, allocated, ALLOCATED_COLOUR),
            (BAR_HEIGHT + BAR_GAP, executed, EXECUTED_COLOUR),
        ):
            length = float(Decimal(value or 0) / scale_max * plot_width) if scale_max else 0.0
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + offset}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            )
            body.append(
                f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + offset + BAR_HEIGHT - 3}" '
                f'fill="{TEXT_COLOUR}">Bs {escape(money(value))}</text>'
            )
        y += group_height + GROUP_GAP
    body.append(
        f'<line x1="{LABEL_WIDTH}" y1="{LEGEND_HEIGHT}" x2="{LABEL_WIDTH}" y2="{height}" stroke="{AXIS_COLOUR}"/>'
    )
    return _svg(chart_id, title, description, WIDTH, height, body)


def rate_column_chart(points, *, chart_id, title, description):
    """Columns of the execution rate (0–100 %) per year: ``points`` is a list of ``(label, rate)``."""
    height = 220
    top, bottom, left = 16, 28, 48
    plot_height = height - top - bottom
    ceiling = max([Decimal("100")] + [Decimal(rate) for _label, rate in points if rate is not None])
    slot = (WIDTH - left - 10) / max(len(points), 1)
    column = min(60.0, slot * 0.6)
    body = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_height - float(Decimal(tick) / ceiling) * plot_height
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" stroke="#dddddd"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT_COLOUR}">{tick} %</text>')
    for index, (label, value) in enumerate(points):
        x = left + index * slot + (slot - column) / 2
        bar = float(Decimal(value or 0) / ceiling) * plot_height
        y = top + plot_height - bar
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{bar:.1f}" fill="{EXECUTED_COLOUR}"/>')
        body.append(
            f'<text x="{x + column / 2:.1f}" y="{max(y - 4, top + 10):.1f}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{escape(percent(value))}</text>'
        )
        body.append(
            f'<text x="{x + column / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    body.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{WIDTH - 10}" y2="{top + plot_height}" stroke="{AXIS_COLOUR}"/>'
    )
    return _svg(chart_id, title, description, WIDTH, height, body)


def describe_categories(rows, year):
    """A sentence that says what the category chart shows (its ``<desc>``)."""
    if not rows:
        return _("No budget lines for %(year)s.") % {"year": year}
    largest = max(rows, key=lambda row: row.allocated)
    return _(
        "Bar chart of the amounts allocated and executed in %(year)s in %(count)s categories, in bolivianos. "
        "The largest allocation is %(category)s: Bs %(allocated)s allocated, Bs %(executed)s executed "
        "(%(rate)s). The table below gives every figure."
    ) % {
        "year": year,
        "count": len(rows),
        "category": largest.label,
        "allocated": money(largest.allocated),
        "executed": money(largest.executed),
        "rate": percent(largest.rate),
    }


def describe_years(rows):
    """A sentence that says what the execution-over-years chart shows (its ``<desc>``)."""
    parts = [f"{row.label}: {percent(row.rate)}" for row in rows]
    return _("Column chart of the share of the allocated budget that was executed each year: %(years)s.") % {
        "years": "; ".join(parts)
    }
