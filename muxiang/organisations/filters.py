import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muxiang.core.filters import ChoiceFilter
from muxiang.organisations.choices import OrganisationKind
from muxiang.organisations.models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = ChoiceFilter(label=_("类型"), choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(credit_code__icontains=value) | Q(contact_name__icontains=value)
        )
