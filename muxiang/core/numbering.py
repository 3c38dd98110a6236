"""Record numbers handed out when a form, the API or an import leaves the number blank.

A number is one above the highest ever given under its stem, deleted records included: a number once
printed on a sign-in sheet, a delivery note or a billboard must never come back naming another
record. Numbers typed in another form (``GGP-北门``) are left out of the series.
"""

import datetime
import re

from django.utils import timezone

_DIGITS = re.compile(r"[0-9]+")


def next_number(queryset, field: str, stem: str, width: int = 3) -> str:
    """The next free ``stem`` + digits of ``field`` among ``queryset`` (pass ``all_objects`` so that
    deleted records keep their numbers): ``GD-202603-`` → ``GD-202603-004``."""
    taken = queryset.filter(**{f"{field}__startswith": stem}).values_list(field, flat=True)
    numbers = [int(value[len(stem) :]) for value in taken if _DIGITS.fullmatch(value[len(stem) :])]
    return f"{stem}{max(numbers, default=0) + 1:0{width}d}"


def next_monthly_number(model, prefix: str, day: datetime.date | None) -> str:
    """``model``'s next ``number`` in the month of ``day``: ``XC-202603-001``, ``-002`` …"""
    return next_number(model.all_objects, "number", f"{prefix}-{(day or timezone.localdate()):%Y%m}-")


def next_series_number(model) -> str:
    """``model``'s next ``number`` in its one series ``model.number_prefix``: ``PF-001``, ``PF-002`` …"""
    return next_number(model.all_objects, "number", model.number_prefix)
