"""Cells safe to open in a spreadsheet (``home.spreadsheets``)."""

import datetime
from decimal import Decimal

import pytest

from home.spreadsheets import inert, xlsx_safe


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "   =cmd", " @x"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["Calle 21", "", "1+1=2", "'quoted", "a=b", Decimal("-5"), -5, None])
def test_other_values_are_left_alone(value):
    assert inert(value) == value


def test_dates_are_left_alone():
    today = datetime.date(2026, 12, 4)
    assert inert(today) is today


def test_characters_xlsx_cannot_hold_are_replaced_and_the_rest_kept():
    assert xlsx_safe("línea\vdos\x00tres\tcuatro\nfin") == "línea\ufffddos\ufffdtres\tcuatro\nfin"
    assert xlsx_safe(Decimal("3")) == Decimal("3")
