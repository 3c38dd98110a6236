import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter, YesNoFilter
from muxiang.people.choices import PersonKind
from muxiang.people.models import Person


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("类别"), choices=PersonKind.choices, method="with_kind")
    poor_household = YesNoFilter(label=_("贫困户/脱贫户"))

    class Meta:
        model = Person
        fields = ["q", "kind", "poor_household"]

    def search(self, queryset, name, value):
        # Exact ID number only: a partial search would let masked viewers probe the hidden digits.
        return queryset.filter(
            Q(name__icontains=value) | Q(mobile__startswith=value) | Q(id_number=value.upper())
        )

    def with_kind(self, queryset, name, value):
        # JSON containment is not available on SQLite; the kinds list is small and quoted.
        return queryset.filter(kinds__icontains=f'"{value}"')
