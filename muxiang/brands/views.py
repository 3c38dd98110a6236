"""Brand pages: six ledgers through ``RecordViewSet`` under the one ``brands`` URL namespace
(``brands:brand-list``, ``brands:packaging-detail`` …), shown as tabs. A brand's page gathers its
members, series, products, packaging runs and — from publicity and the centre — the promotions,
films and launch events that name it; a member's page its services and the small form recording
the day it left (``brands:member-leave``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from muxiang.brands import services
from muxiang.brands.choices import BrandTier
from muxiang.brands.filters import (
    BrandFilter,
    BrandMemberFilter,
    BrandServiceFilter,
    PackagingRunFilter,
    ProductSeriesFilter,
    SeriesProductFilter,
)
from muxiang.brands.forms import (
    BrandForm,
    BrandMemberForm,
    BrandServiceForm,
    LeaveForm,
    PackagingRunForm,
    ProductSeriesForm,
    SeriesProductForm,
)
from muxiang.brands.ledgers import (
    BrandLedger,
    BrandMemberLedger,
    BrandServiceLedger,
    PackagingRunLedger,
    ProductSeriesLedger,
    SeriesProductLedger,
)
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet

# A brand's page lists at most this many of each kind of related record; the ledgers hold the rest.
RELATED_LIMIT = 50


def _figure(field):
    return lambda record, user: f"{getattr(record, field):,}"


def _text(field):
    return lambda record, user: str(getattr(record, field) or "")


def _date(value):
    return value.isoformat() if value else ""


def _section(title, headers, records, cells, user, model=None):
    """A related table of records the user may read (another app's records go through its scope)."""
    if model is not None and not permissions.can_view(user, model):
        return None
    rows = [(record.get_absolute_url(), cells(record)) for record in records[:RELATED_LIMIT]]
    return (title, headers, rows)


class BrandViewSet(RecordViewSet):
    model = Brand
    namespace = LedgerRoute("brands", "brand")
    url_prefix = "brands"
    form_class = BrandForm
    filterset_class = BrandFilter
    ledger_class = BrandLedger
    select_related = ("contract", "owner")
    list_columns = [
        ListColumn(gettext_lazy("品牌名称"), "name", link=True),
        ListColumn(gettext_lazy("品牌层级"), "tier"),
        ListColumn(gettext_lazy("所属产业"), "industry"),
        ListColumn(gettext_lazy("权属企业"), _text("owner")),
        ListColumn(gettext_lazy("商标状态"), "trademark_status"),
        ListColumn(gettext_lazy("建立日期"), "established_on"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        sections = []
        if record.tier == BrandTier.REGIONAL:
            members = record.members.select_related("organisation").order_by("-joined_on")
            sections.append(
                _section(
                    _("成员企业"),
                    [_("授权编号"), _("成员企业"), _("加入日期"), _("退出日期")],
                    members,
                    lambda m: [
                        m.authorisation_number,
                        str(m.organisation),
                        _date(m.joined_on),
                        _date(m.left_on),
                    ],
                    user,
                )
            )
        series = record.series.order_by("code")
        sections.append(
            _section(
                _("网销产品系列"),
                [_("系列编号"), _("系列名称"), _("推出日期")],
                series,
                lambda s: [s.code, s.name, _date(s.launched_on)],
                user,
            )
        )
        entries = SeriesProduct.objects.filter(series__brand=record).select_related("series", "product")
        sections.append(
            _section(
                _("网销产品"),
                [_("商品"), _("产品系列"), _("上线日期")],
                entries.order_by("series__code", "product__code"),
                lambda e: [str(e.product), e.series.name, _date(e.launched_on)],
                user,
            )
        )
        runs = PackagingRun.objects.filter(series__brand=record).select_related("series")
        sections.append(
            _section(
                _("包装生产"),
                [_("批次编号"), _("产品系列"), _("包装设计"), _("生产数量（件）"), _("生产日期")],
                runs.order_by("-produced_on"),
                lambda r: [r.number, r.series.name, r.design, f"{r.units:,}", _date(r.produced_on)],
                user,
            )
        )
        sections.extend(cls.promotion_sections(record, user))
        return [s for s in sections if s is not None]

    @classmethod
    def promotion_sections(cls, record, user):
        """Publicity and centre records about the brand: for the regional brand every article,
        report and video marked 区域公共品牌宣传 and the brand launches; for another brand the
        publicity whose title names it (publicity records name no brand otherwise)."""
        from muxiang.centre.choices import EventKind
        from muxiang.centre.models import Event
        from muxiang.publicity.models import Article, MediaCoverage, Video

        regional = record.tier == BrandTier.REGIONAL
        about = Q(promotes_brand=True) if regional else Q(title__icontains=record.name)
        same_contract = Q(contract_id=record.contract_id)
        articles = Article.objects.filter(about, same_contract).order_by("-published_on")
        coverage = MediaCoverage.objects.filter(about, same_contract).order_by("-published_on")
        videos = Video.objects.filter(about, same_contract).order_by("-published_on")
        launches = Event.objects.filter(same_contract, kind=EventKind.BRAND_LAUNCH)
        if not regional:
            launches = launches.filter(title__icontains=record.name)
        return [
            _section(
                _("品牌宣传：文章"),
                [_("标题"), _("发布日期"), _("阅读量")],
                articles,
                lambda a: [a.title, _date(a.published_on), f"{a.reads:,}"],
                user,
                Article,
            ),
            _section(
                _("品牌宣传：媒体报道"),
                [_("报道标题"), _("媒体名称"), _("发布日期")],
                coverage,
                lambda c: [c.title, c.outlet, _date(c.published_on)],
                user,
                MediaCoverage,
            ),
            _section(
                _("品牌宣传片与视频"),
                [_("视频标题"), _("发布平台"), _("发布日期"), _("播放量")],
                videos,
                lambda v: [v.title, v.platform, _date(v.published_on), f"{v.views:,}"],
                user,
                Video,
            ),
            _section(
                _("品牌发布会"),
                [_("活动名称"), _("举办日期"), _("地点")],
                launches.order_by("-held_on"),
                lambda e: [e.title, _date(e.held_on), e.place],
                user,
                Event,
            ),
        ]


class BrandMemberViewSet(RecordViewSet):
    model = BrandMember
    namespace = LedgerRoute("brands", "member")
    url_prefix = "members"
    form_class = BrandMemberForm
    filterset_class = BrandMemberFilter
    ledger_class = BrandMemberLedger
    select_related = ("brand", "organisation")
    detail_template = "brands/member_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("授权编号"), "authorisation_number", link=True),
        ListColumn(gettext_lazy("成员企业"), _text("organisation")),
        ListColumn(gettext_lazy("区域公共品牌"), _text("brand")),
        ListColumn(gettext_lazy("加入日期"), "joined_on"),
        ListColumn(gettext_lazy("退出日期"), "left_on"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        return [
            _section(
                _("品牌服务"),
                [_("服务编号"), _("服务类型"), _("服务日期"), _("服务内容")],
                record.services.order_by("-provided_on"),
                lambda s: [s.number, s.get_kind_display(), _date(s.provided_on), s.content],
                user,
            )
        ]

    @classmethod
    def record_urls(cls):
        return [
            *super().record_urls(),
            path("<int:pk>/leave/", login_required(require_POST(cls.leave_view)), name="leave"),
        ]

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        if "detail_rows" in extra:
            context["leave_form"] = getattr(request, "brands_leave_form", None) or LeaveForm()
        return context

    @classmethod
    def leave_view(cls, request, pk):
        """Record the day the enterprise left the brand system, from the member's page."""
        record = cls.get_record(request, pk)
        if not permissions.can_change(request.user, record):
            raise PermissionDenied
        form = LeaveForm(request.POST)
        if form.is_valid():
            try:
                services.leave_brand(record, form.cleaned_data["left_on"], request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("已登记退出：%(r)s") % {"r": record})
                return redirect(cls.url("detail", record.pk))
        request.brands_leave_form = form
        response = cls.detail_view(request, pk)
        response.status_code = 400
        return response


class BrandServiceViewSet(RecordViewSet):
    model = BrandService
    namespace = LedgerRoute("brands", "service")
    url_prefix = "services"
    form_class = BrandServiceForm
    filterset_class = BrandServiceFilter
    ledger_class = BrandServiceLedger
    select_related = ("contract", "member__organisation")
    list_columns = [
        ListColumn(gettext_lazy("服务编号"), "number", link=True),
        ListColumn(gettext_lazy("成员企业"), lambda r, u: str(r.member.organisation)),
        ListColumn(gettext_lazy("服务类型"), "kind"),
        ListColumn(gettext_lazy("服务日期"), "provided_on"),
        ListColumn(gettext_lazy("服务内容"), "content"),
    ]


class ProductSeriesViewSet(RecordViewSet):
    model = ProductSeries
    namespace = LedgerRoute("brands", "series")
    url_prefix = "series"
    form_class = ProductSeriesForm
    filterset_class = ProductSeriesFilter
    ledger_class = ProductSeriesLedger
    select_related = ("contract", "brand")
    list_columns = [
        ListColumn(gettext_lazy("系列编号"), "code", link=True),
        ListColumn(gettext_lazy("系列名称"), "name"),
        ListColumn(gettext_lazy("所属品牌"), _text("brand")),
        ListColumn(gettext_lazy("推出日期"), "launched_on"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        return [
            _section(
                _("网销产品"),
                [_("商品"), _("上线日期"), _("卖点")],
                record.entries.select_related("product").order_by("product__code"),
                lambda e: [str(e.product), _date(e.launched_on), e.selling_points],
                user,
            ),
            _section(
                _("包装生产"),
                [_("批次编号"), _("包装设计"), _("生产数量（件）"), _("生产日期")],
                record.packaging_runs.order_by("-produced_on"),
                lambda r: [r.number, r.design, f"{r.units:,}", _date(r.produced_on)],
                user,
            ),
        ]


class SeriesProductViewSet(RecordViewSet):
    model = SeriesProduct
    namespace = LedgerRoute("brands", "product")
    url_prefix = "products"
    form_class = SeriesProductForm
    filterset_class = SeriesProductFilter
    ledger_class = SeriesProductLedger
    select_related = ("contract", "series", "product")
    list_columns = [
        ListColumn(gettext_lazy("商品"), _text("product"), link=True),
        ListColumn(gettext_lazy("商品编号"), lambda r, u: r.product.code),
        ListColumn(gettext_lazy("产品系列"), lambda r, u: r.series.name),
        ListColumn(gettext_lazy("上线日期"), "launched_on"),
        ListColumn(gettext_lazy("卖点"), "selling_points"),
    ]


class PackagingRunViewSet(RecordViewSet):
    model = PackagingRun
    namespace = LedgerRoute("brands", "packaging")
    url_prefix = "packaging"
    form_class = PackagingRunForm
    filterset_class = PackagingRunFilter
    ledger_class = PackagingRunLedger
    select_related = ("contract", "series", "product")
    list_columns = [
        ListColumn(gettext_lazy("批次编号"), "number", link=True),
        ListColumn(gettext_lazy("产品系列"), lambda r, u: r.series.name),
        ListColumn(gettext_lazy("商品"), _text("product")),
        ListColumn(gettext_lazy("包装设计"), "design"),
        ListColumn(gettext_lazy("生产数量（件）"), _figure("units")),
        ListColumn(gettext_lazy("包装供应商"), "supplier"),
        ListColumn(gettext_lazy("生产日期"), "produced_on"),
    ]
