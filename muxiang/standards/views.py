"""Standard pages: three ledgers under the ``standards`` namespace (``standards:standard-list`` …).
A standard's page lists its versions, the enterprises applying it and the training sessions on it —
the sessions of topic 网销标准化 of the ``training`` app, which ``standards.trainings`` counts; they
are linked, not copied. A version's page has the button that makes it the current version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from muxiang.core import permissions
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.standards import services
from muxiang.standards.filters import StandardAdoptionFilter, StandardVersionFilter, TradeStandardFilter
from muxiang.standards.forms import StandardAdoptionForm, StandardVersionForm, TradeStandardForm
from muxiang.standards.ledgers import StandardAdoptionLedger, StandardVersionLedger, TradeStandardLedger
from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard

RELATED_LIMIT = 100


def _date(value):
    return value.isoformat() if value else ""


def standard_trainings():
    """The training sessions on the trade standard: those ``standards.trainings`` counts."""
    from muxiang.training.choices import TrainingTopic
    from muxiang.training.models import TrainingSession

    return TrainingSession.objects.filter(topic=TrainingTopic.STANDARDS).order_by("-held_on")


class TradeStandardViewSet(RecordViewSet):
    model = TradeStandard
    namespace = LedgerRoute("standards", "standard")
    url_prefix = "standards"
    form_class = TradeStandardForm
    filterset_class = TradeStandardFilter
    ledger_class = TradeStandardLedger
    list_columns = [
        ListColumn(gettext_lazy("标准名称"), "title", link=True),
        ListColumn(gettext_lazy("适用产业"), "industry"),
        ListColumn(gettext_lazy("发布单位"), "issuer"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        from muxiang.training.models import TrainingSession

        sections = [
            (
                _("标准版本"),
                [_("标准编号"), _("版本"), _("实施日期"), _("现行版本")],
                [
                    (
                        v.get_absolute_url(),
                        [v.number, v.version, _date(v.effective_on), _("是") if v.is_current else ""],
                    )
                    for v in record.versions.order_by("-effective_on")[:RELATED_LIMIT]
                ],
            ),
            (
                _("执行企业"),
                [_("执行企业"), _("执行日期"), _("执行产品")],
                [
                    (a.get_absolute_url(), [str(a.organisation), _date(a.since), a.products])
                    for a in record.adoptions.select_related("organisation").order_by("since")[:RELATED_LIMIT]
                ],
            ),
        ]
        if permissions.can_view(user, TrainingSession):
            sessions = permissions.scope(standard_trainings(), user)[:RELATED_LIMIT]
            sections.append(
                (
                    _("标准化培训（电商培训中培训内容为「网销标准化」的场次）"),
                    [_("培训名称"), _("培训日期"), _("培训地点"), _("授课老师")],
                    [
                        (s.get_absolute_url(), [s.title, _date(s.held_on), s.place, s.teacher])
                        for s in sessions
                    ],
                )
            )
        return sections


class StandardVersionViewSet(RecordViewSet):
    model = StandardVersion
    namespace = LedgerRoute("standards", "version")
    url_prefix = "versions"
    form_class = StandardVersionForm
    filterset_class = StandardVersionFilter
    ledger_class = StandardVersionLedger
    select_related = ("standard",)
    detail_template = "standards/version_detail.html"
    list_columns = [
        ListColumn(gettext_lazy("标准编号"), "number", link=True),
        ListColumn(gettext_lazy("标准名称"), lambda r, u: r.standard.title),
        ListColumn(gettext_lazy("版本"), "version"),
        ListColumn(gettext_lazy("实施日期"), "effective_on"),
        ListColumn(gettext_lazy("现行版本"), "is_current"),
    ]

    @classmethod
    def record_urls(cls):
        return [
            *super().record_urls(),
            path("<int:pk>/current/", login_required(require_POST(cls.make_current_view)), name="current"),
        ]

    @classmethod
    def make_current_view(cls, request, pk):
        record = cls.get_record(request, pk)
        if not permissions.can_change(request.user, record):
            raise PermissionDenied
        try:
            services.make_current(record, request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("「%(r)s」已设为现行版本") % {"r": record})
        return redirect(cls.url("detail", record.pk))


class StandardAdoptionViewSet(RecordViewSet):
    model = StandardAdoption
    namespace = LedgerRoute("standards", "adoption")
    url_prefix = "adoptions"
    form_class = StandardAdoptionForm
    filterset_class = StandardAdoptionFilter
    ledger_class = StandardAdoptionLedger
    select_related = ("standard", "organisation")
    list_columns = [
        ListColumn(gettext_lazy("执行企业"), lambda r, u: str(r.organisation), link=True),
        ListColumn(gettext_lazy("标准名称"), lambda r, u: r.standard.title),
        ListColumn(gettext_lazy("执行日期"), "since"),
        ListColumn(gettext_lazy("执行产品"), "products"),
    ]
