"""Filter widgets shared by every list page, so that they read the same everywhere."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

ALL = _("全部")


class YesNoFilter(django_filters.BooleanFilter):
    """全部 / 是 / 否 rather than django-filter's 未知 / 是 / 否."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", ALL), ("true", _("是")), ("false", _("否"))]))
        super().__init__(*args, **kwargs)


class ChoiceFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)
