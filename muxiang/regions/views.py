from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from muxiang.core.views import ListColumn, RecordViewSet
from muxiang.regions.filters import RegionFilter
from muxiang.regions.forms import RegionForm
from muxiang.regions.ledgers import RegionLedger
from muxiang.regions.models import Region


class RegionViewSet(RecordViewSet):
    model = Region
    namespace = "regions"
    form_class = RegionForm
    filterset_class = RegionFilter
    ledger_class = RegionLedger
    select_related = ("parent",)
    list_columns = [
        ListColumn(_("名称"), "name"),
        ListColumn(_("级别"), "level"),
        ListColumn(_("上级"), lambda r, u: r.parent.name if r.parent_id else ""),
        ListColumn(_("区划代码"), "code"),
        ListColumn(_("出列村"), lambda r, u: _("是") if r.exited_poverty else ""),
        ListColumn(_("设立日期"), "opened_on"),
        ListColumn(_("撤销日期"), "closed_on"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        children = Region.objects.filter(parent=record)[:200]
        return (
            [
                (
                    _("下级区划"),
                    [_("名称"), _("级别"), _("区划代码"), _("出列村")],
                    [
                        (
                            reverse("regions:detail", args=[c.pk]),
                            [
                                c.name,
                                c.get_level_display(),
                                c.code or "",
                                _("是") if c.exited_poverty else "",
                            ],
                        )
                        for c in children
                    ],
                )
            ]
            if record.level != "village"
            else []
        )
