"""Dates and numbers as written in Bolivia: Spanish conventions, with a dot between thousands
(Bs 1.250.000,50; 29/11/2026), as municipal budgets print them."""

from django.conf.locale.es.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "."
