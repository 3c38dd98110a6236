from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.core import permissions
from muxiang.core.ledgers import parse_date_text
from muxiang.core.views import ListColumn, RecordViewSet
from muxiang.regions.models import Region
from muxiang.stations import services
from muxiang.stations.filters import StationFilter
from muxiang.stations.forms import StationForm, StationManagerForm
from muxiang.stations.ledgers import StationLedger
from muxiang.stations.models import Station


class StationViewSet(RecordViewSet):
    model = Station
    namespace = "stations"
    form_class = StationForm
    filterset_class = StationFilter
    ledger_class = StationLedger
    select_related = ("region", "region__parent", "manager")
    list_columns = [
        ListColumn(_("站点名称"), "name"),
        ListColumn(_("编号"), "code"),
        ListColumn(_("级别"), "level"),
        ListColumn(_("服务区域"), lambda s, u: s.region.path.split("/", 1)[-1]),
        ListColumn(_("负责人"), lambda s, u: s.manager.name if s.manager_id else ""),
        ListColumn(_("联系电话"), "phone"),
        ListColumn(_("状态"), "status"),
        ListColumn(_("精品"), lambda s, u: "★" if s.is_premium else ""),
        ListColumn(_("开业日期"), "opened_on"),
    ]

    @classmethod
    def make_form(cls, user, *args, **kwargs):
        if permissions.is_station_manager(user):
            form = StationManagerForm(*args, **kwargs)
            return form
        return super().make_form(user, *args, **kwargs)

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        labels = {str(Station._meta.get_field("services").verbose_name)}
        return [
            (label, record.get_services_display() if str(label) in labels else value) for label, value in rows
        ]

    @classmethod
    def related_sections(cls, record, user):
        from muxiang.people.models import Person

        people = permissions.scope(Person.objects.filter(station=record), user)[:50]
        return [
            (
                _("本站人员"),
                [_("姓名"), _("手机号"), _("类别")],
                [
                    (reverse("people:detail", args=[p.pk]), [p.name, p.mobile, p.get_kinds_display()])
                    for p in people
                ],
            )
        ]


@login_required
def coverage_view(request):
    """Town, village and exited-poverty-village coverage against the contract's targets."""
    if not permissions.can_view(request.user, Station) or permissions.is_station_manager(request.user):
        raise PermissionDenied
    day = timezone.localdate()
    problem = None
    if request.GET.get("on"):
        try:
            day = parse_date_text(request.GET["on"])
        except ValueError as exc:
            problem = str(exc)
    county = Region.objects.filter(level="county").order_by("path").first()
    return render(
        request,
        "stations/coverage.html",
        {
            "day": day,
            "problem": problem,
            "county": county,
            "figures": services.compute_coverage(county, day) if county else [],
            "towns": services.coverage_by_town(county, day) if county else [],
        },
    )
