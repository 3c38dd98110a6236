"""Publicity pages: five ledgers through ``RecordViewSet`` under the one ``publicity`` URL namespace
(``publicity:article-list``, ``publicity:video-detail`` …), and the small form on an article's page
that updates its reads (``publicity:article-reads``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.publicity import services
from muxiang.publicity.filters import (
    ArticleFilter,
    BillboardFilter,
    BrochureDistributionFilter,
    MediaCoverageFilter,
    VideoFilter,
)
from muxiang.publicity.forms import (
    ArticleForm,
    ArticleReadsForm,
    BillboardForm,
    BrochureDistributionForm,
    MediaCoverageForm,
    VideoForm,
)
from muxiang.publicity.ledgers import (
    ArticleLedger,
    BillboardLedger,
    BrochureDistributionLedger,
    MediaCoverageLedger,
    VideoLedger,
)
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video


def _figure(field):
    return lambda record, user: f"{getattr(record, field):,}"


def _brand(record, user):
    return _("是") if record.promotes_brand else ""


def _region(record, user):
    return record.region.path if record.region_id else ""


class PublicityViewSet(RecordViewSet):
    """Shared by the five ledgers: links open on their own page from the detail view."""

    select_related = ("contract",)

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        if not getattr(record, "url", "").lower().startswith(("http://", "https://")):
            return rows
        label = str(type(record)._meta.get_field("url").verbose_name)
        # Only a web address becomes a link (every way in checks it; this guards rows written
        # around the checks), so a javascript: address can never be clicked.
        link = format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', record.url, record.url
        )
        return [(name, link if str(name) == label else value) for name, value in rows]


class ArticleViewSet(PublicityViewSet):
    model = Article
    namespace = LedgerRoute("publicity", "article")
    url_prefix = "articles"
    form_class = ArticleForm
    filterset_class = ArticleFilter
    ledger_class = ArticleLedger
    detail_template = "publicity/article_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("标题"), "title"),
        ListColumn(gettext_lazy("发布渠道"), "channel"),
        ListColumn(gettext_lazy("公众号/账号名称"), "account"),
        ListColumn(gettext_lazy("发布日期"), "published_on"),
        ListColumn(gettext_lazy("阅读量"), _figure("reads")),
        ListColumn(gettext_lazy("区域公共品牌宣传"), _brand),
    ]

    @classmethod
    def record_urls(cls):
        return [
            *super().record_urls(),
            path("<int:pk>/reads/", login_required(require_POST(cls.reads_view)), name="reads"),
        ]

    @classmethod
    def context(cls, request, **extra):
        context = super().context(request, **extra)
        record = extra.get("record")
        if "detail_rows" in extra and record is not None:
            context["reads_form"] = getattr(request, "publicity_reads_form", None) or ArticleReadsForm(
                initial={"reads": record.reads}
            )
        return context

    @classmethod
    def reads_view(cls, request, pk):
        """Update only the reads, from the article's page: the figure grows for weeks after
        publication and is typed in from the channel's back end each time."""
        record = cls.get_record(request, pk)
        if not permissions.can_change(request.user, record):
            raise PermissionDenied
        form = ArticleReadsForm(request.POST)
        if form.is_valid():
            before = record.reads
            try:
                services.update_article_reads(record, form.cleaned_data["reads"], request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("阅读量已更新：%(old)s → %(new)s") % {"old": f"{before:,}", "new": f"{record.reads:,}"},
                )
                return redirect(cls.url("detail", record.pk))
        # The article's page again, the form showing what was wrong; nothing was written.
        request.publicity_reads_form = form
        response = cls.detail_view(request, pk)
        response.status_code = 400
        return response


class MediaCoverageViewSet(PublicityViewSet):
    model = MediaCoverage
    namespace = LedgerRoute("publicity", "coverage")
    url_prefix = "coverage"
    form_class = MediaCoverageForm
    filterset_class = MediaCoverageFilter
    ledger_class = MediaCoverageLedger
    list_columns = [
        ListColumn(gettext_lazy("报道标题"), "title"),
        ListColumn(gettext_lazy("媒体级别"), "level"),
        ListColumn(gettext_lazy("媒体名称"), "outlet"),
        ListColumn(gettext_lazy("发布日期"), "published_on"),
        ListColumn(gettext_lazy("区域公共品牌宣传"), _brand),
    ]


class BillboardViewSet(PublicityViewSet):
    model = Billboard
    namespace = LedgerRoute("publicity", "billboard")
    url_prefix = "billboards"
    form_class = BillboardForm
    filterset_class = BillboardFilter
    ledger_class = BillboardLedger
    select_related = ("contract", "region")
    list_columns = [
        ListColumn(gettext_lazy("编号"), "number"),
        ListColumn(gettext_lazy("设置地点"), "place"),
        ListColumn(gettext_lazy("所在镇村"), _region),
        ListColumn(gettext_lazy("安装日期"), "installed_on"),
        ListColumn(gettext_lazy("尺寸"), "size"),
    ]


class BrochureDistributionViewSet(PublicityViewSet):
    model = BrochureDistribution
    namespace = LedgerRoute("publicity", "brochure")
    url_prefix = "brochures"
    form_class = BrochureDistributionForm
    filterset_class = BrochureDistributionFilter
    ledger_class = BrochureDistributionLedger
    select_related = ("contract", "region")
    list_columns = [
        ListColumn(gettext_lazy("编号"), "number"),
        ListColumn(gettext_lazy("彩页名称"), "title"),
        ListColumn(gettext_lazy("发放页数"), _figure("pages")),
        ListColumn(gettext_lazy("发放地点"), "place"),
        ListColumn(gettext_lazy("所在镇村"), _region),
        ListColumn(gettext_lazy("发放日期"), "distributed_on"),
    ]


class VideoViewSet(PublicityViewSet):
    model = Video
    namespace = LedgerRoute("publicity", "video")
    url_prefix = "videos"
    form_class = VideoForm
    filterset_class = VideoFilter
    ledger_class = VideoLedger
    list_columns = [
        ListColumn(gettext_lazy("视频标题"), "title"),
        ListColumn(gettext_lazy("视频类别"), "kind"),
        ListColumn(gettext_lazy("发布平台"), "platform"),
        ListColumn(gettext_lazy("发布日期"), "published_on"),
        ListColumn(gettext_lazy("播放量"), _figure("views")),
        ListColumn(gettext_lazy("区域公共品牌宣传"), _brand),
    ]
