"""The trade network's pages: the outlet register through ``RecordViewSet`` and the coverage page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muxiang.core import permissions
from muxiang.core.ledgers import CellError, parse_date_text
from muxiang.core.views import ListColumn, RecordViewSet
from muxiang.network import services
from muxiang.network.filters import OutletFilter
from muxiang.network.forms import OutletForm
from muxiang.network.ledgers import OutletLedger
from muxiang.network.models import Outlet
from muxiang.regions.models import Region


class OutletViewSet(RecordViewSet):
    model = Outlet
    namespace = "network"
    form_class = OutletForm
    filterset_class = OutletFilter
    ledger_class = OutletLedger
    select_related = ("operator", "region", "station")
    list_columns = [
        ListColumn(_("网点名称"), "name"),
        ListColumn(_("编号"), "code"),
        ListColumn(_("网点类型"), "kind"),
        ListColumn(_("运营单位"), "operator.name"),
        ListColumn(_("所在镇/村"), lambda o, u: o.region.path.split("/", 1)[-1]),
        ListColumn(_("融合站点"), lambda o, u: o.station.name if o.station_id else ""),
        ListColumn(_("状态"), "status"),
        ListColumn(_("开业日期"), "opened_on"),
    ]


@login_required
def coverage_view(request):
    """Town and village trade-network coverage against the contract's 100% and 50%."""
    if not permissions.can_view(request.user, Outlet) or permissions.is_station_manager(request.user):
        raise PermissionDenied
    day = timezone.localdate()
    problem = None
    if request.GET.get("on"):
        try:
            day = parse_date_text(request.GET["on"])
        except (ValueError, CellError) as exc:
            problem = str(exc)
    county = Region.objects.filter(level="county").order_by("path").first()
    return render(
        request,
        "network/coverage.html",
        {
            "day": day,
            "problem": problem,
            "county": county,
            "figures": services.compute_network_coverage(county, day) if county else [],
            "towns": services.coverage_by_town(county, day) if county else [],
        },
    )
