from django.utils.translation import gettext_lazy as _

from muxiang.core import permissions
from muxiang.core.validators import mask_id_number
from muxiang.core.views import ListColumn, RecordViewSet
from muxiang.people.filters import PersonFilter
from muxiang.people.forms import PersonForm
from muxiang.people.ledgers import PersonLedger
from muxiang.people.models import Person


def _id_cell(person, user):
    return (person.id_number or "") if permissions.sees_full_id(user) else mask_id_number(person.id_number)


class PersonViewSet(RecordViewSet):
    model = Person
    namespace = "people"
    form_class = PersonForm
    filterset_class = PersonFilter
    ledger_class = PersonLedger
    select_related = ("region", "station")
    list_columns = [
        ListColumn(_("姓名"), "name"),
        ListColumn(_("身份证号"), _id_cell),
        ListColumn(_("手机号"), "mobile"),
        ListColumn(_("类别"), lambda p, u: p.get_kinds_display()),
        ListColumn(_("贫困户/脱贫户"), lambda p, u: _("是") if p.poor_household else ""),
        ListColumn(_("户籍/居住地"), lambda p, u: p.region.name if p.region_id else ""),
        ListColumn(_("所属站点"), lambda p, u: p.station.name if p.station_id else ""),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        kinds_label = str(Person._meta.get_field("kinds").verbose_name)
        return [
            (label, record.get_kinds_display() if str(label) == kinds_label else value)
            for label, value in rows
        ]
