"""The sales pages: the sales ledger with its totals by channel and by phase, the census years,
their rows, and the year-over-year comparison of two census years — all under the one ``sales``
URL namespace (``sales:sale-list`` …, through ``core.views.LedgerRoute``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.contracts.records import only_contract
from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.sales import services
from muxiang.sales.filters import CensusEntryFilter, ProductCensusFilter, SaleFilter
from muxiang.sales.forms import CensusEntryForm, ProductCensusForm, SaleForm
from muxiang.sales.ledgers import CensusEntryLedger, ProductCensusLedger, SaleLedger
from muxiang.sales.models import CensusEntry, ProductCensus, Sale


def _money(field):
    def cell(record, user):
        value = getattr(record, field)
        return "" if value is None else f"{value:,.2f}"

    return cell


def _number(value) -> str:
    return "" if value is None else f"{value:,.3f}".rstrip("0").rstrip(".")


class SaleViewSet(RecordViewSet):
    model = Sale
    namespace = LedgerRoute("sales", "sale")
    url_prefix = "orders"
    form_class = SaleForm
    filterset_class = SaleFilter
    ledger_class = SaleLedger
    select_related = ("contract", "seller", "product")
    list_template = "sales/sale_list.html"
    list_columns = [
        ListColumn(gettext_lazy("订单号"), "order_number"),
        ListColumn(gettext_lazy("订单来源"), "source"),
        ListColumn(gettext_lazy("销售日期"), "sold_on"),
        ListColumn(gettext_lazy("销售主体"), "seller.name"),
        ListColumn(gettext_lazy("商品"), lambda s, u: str(s.product)),
        ListColumn(gettext_lazy("数量"), lambda s, u: f"{_number(s.quantity)} {s.product.unit}"),
        ListColumn(gettext_lazy("金额（元）"), _money("amount")),
        ListColumn(gettext_lazy("销售渠道"), "channel"),
        ListColumn(gettext_lazy("线上/线下"), "mode"),
    ]

    @classmethod
    def list_view(cls, request):
        """The generic list, with the totals of the filtered sales above the table; htmx filtering
        swaps both."""
        filterset, queryset, show_deleted = cls.filtered(request)
        try:
            per_page = min(max(int(request.GET.get("per_page", 25)), 1), 200)
        except ValueError:
            per_page = 25
        page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
        rows = [
            (record, [c.value(record, request.user) for c in cls.list_columns]) for record in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        contract = (
            filterset.form.cleaned_data.get("contract")
            if filterset.is_bound and filterset.is_valid()
            else None
        )
        contract = contract or only_contract()
        template = "sales/sale_table.html" if getattr(request, "htmx", False) else cls.list_template
        return render(
            request,
            template,
            cls.context(
                request,
                filterset=filterset,
                page=page,
                rows=rows,
                columns=cls.list_columns,
                show_deleted=show_deleted,
                querystring=query.urlencode(),
                can_see_deleted=permissions.can_see_deleted(request.user),
                channel_totals=services.totals_by_channel(queryset),
                phase_totals=services.totals_by_phase(queryset, contract),
            ),
        )


class ProductCensusViewSet(RecordViewSet):
    model = ProductCensus
    namespace = LedgerRoute("sales", "census")
    url_prefix = "census"
    form_class = ProductCensusForm
    filterset_class = ProductCensusFilter
    ledger_class = ProductCensusLedger
    select_related = ("contract",)
    list_template = "sales/census_list.html"
    list_columns = [
        ListColumn(gettext_lazy("年度"), lambda c, u: str(c)),
        ListColumn(gettext_lazy("完成日期"), lambda c, u: c.completed_on or _("更新中")),
        ListColumn(gettext_lazy("合同"), "contract.name"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        entries = record.entries.select_related("town")
        return [
            (
                _("数据库条目"),
                [
                    _("产品品类"),
                    _("镇/苏木"),
                    _("种植面积（亩）"),
                    _("存栏量（头/只）"),
                    _("产量"),
                    _("上市时间"),
                    _("传统销售渠道及比例"),
                ],
                [
                    (
                        reverse("sales:entry-detail", args=[e.pk]),
                        [
                            e.category,
                            e.town.name,
                            e.planted_area if e.planted_area is not None else "",
                            e.herd_size if e.herd_size is not None else "",
                            f"{e.output} {e.output_unit}",
                            e.market_season,
                            services.format_channel_shares(e.channel_shares),
                        ],
                    )
                    for e in entries
                ],
            )
        ]


class CensusEntryViewSet(RecordViewSet):
    model = CensusEntry
    namespace = LedgerRoute("sales", "entry")
    url_prefix = "census-entries"
    form_class = CensusEntryForm
    filterset_class = CensusEntryFilter
    ledger_class = CensusEntryLedger
    select_related = ("census", "town")
    list_columns = [
        ListColumn(gettext_lazy("产品品类"), "category"),
        ListColumn(gettext_lazy("年度"), lambda e, u: e.census.year),
        ListColumn(gettext_lazy("镇/苏木"), "town.name"),
        ListColumn(gettext_lazy("种植面积（亩）"), "planted_area"),
        ListColumn(gettext_lazy("存栏量（头/只）"), "herd_size"),
        ListColumn(gettext_lazy("产量"), lambda e, u: f"{e.output} {e.output_unit}"),
        ListColumn(gettext_lazy("上市时间"), "market_season"),
        ListColumn(
            gettext_lazy("传统销售渠道及比例"), lambda e, u: services.format_channel_shares(e.channel_shares)
        ),
    ]

    @classmethod
    def detail_rows(cls, record, user):
        return [
            (
                label,
                services.format_channel_shares(record.channel_shares)
                if str(label) == str(CensusEntry._meta.get_field("channel_shares").verbose_name)
                else value,
            )
            for label, value in super().detail_rows(record, user)
        ]


VIEWSETS = (SaleViewSet, ProductCensusViewSet, CensusEntryViewSet)


@login_required
def census_comparison(request):
    """Two census years of one contract side by side: per category and per category and town, the
    area, herd, output and their change. ``?before=<id>&after=<id>`` (or ``?contract=<id>``); by
    default the two latest years of the contract. Each contract (county) compares only its own
    census: two years of different contracts are refused."""
    if not permissions.can_view(request.user, ProductCensus):
        raise PermissionDenied
    censuses = list(permissions.scope(ProductCensus.objects.select_related("contract"), request.user))
    by_pk = {str(c.pk): c for c in censuses}
    contracts = sorted({c.contract for c in censuses}, key=lambda contract: contract.key)
    problem = None
    before, after = by_pk.get(request.GET.get("before", "")), by_pk.get(request.GET.get("after", ""))
    if (request.GET.get("before") and before is None) or (request.GET.get("after") and after is None):
        problem = _("找不到所选的年度版本")
    contract = next((c for c in contracts if str(c.pk) == request.GET.get("contract", "")), None)
    contract = (after or before).contract if (after or before) else contract
    if contract is None and contracts:
        contract = contracts[0]
    if before and after and before.contract_id != after.contract_id:
        problem = _("只能对比同一合同的两个年度版本：「%(a)s」属于%(ca)s，「%(b)s」属于%(cb)s") % {
            "a": before,
            "ca": before.contract.name,
            "b": after,
            "cb": after.contract.name,
        }
        before = None
    own = sorted((c for c in censuses if contract and c.contract_id == contract.pk), key=lambda c: c.year)
    if before is None or after is None:
        latest = own[-2:]
        if len(latest) == 2:
            before, after = before or latest[0], after or latest[1]
    comparison = services.compare_censuses(before, after) if before and after and before != after else None
    return render(
        request,
        "sales/census_compare.html",
        {
            "censuses": own,
            "contracts": contracts,
            "contract": contract,
            "before": before,
            "after": after,
            "comparison": comparison,
            "problem": problem,
            "figures": [
                ("planted_area", _("种植面积（亩）")),
                ("herd_size", _("存栏量（头/只）")),
                ("output", _("产量")),
            ],
        },
    )
