"""Training pages: seven ledgers through ``RecordViewSet`` under the one ``training`` URL namespace
(``training:session-list``, ``training:attendance-list``…, see ``core.views.LedgerRoute``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muxiang.core import permissions
from muxiang.core.validators import mask_id_number
from muxiang.core.views import LedgerRoute, ListColumn, RecordViewSet
from muxiang.training import services
from muxiang.training.filters import (
    AttendanceFilter,
    FeedbackAnalysisFilter,
    FollowUpVisitFilter,
    MerchantCensusFilter,
    TextbookFilter,
    TraineeOutcomeFilter,
    TrainingSessionFilter,
)
from muxiang.training.forms import (
    AttendanceForm,
    FeedbackAnalysisForm,
    FollowUpVisitForm,
    MerchantCensusForm,
    TextbookForm,
    TraineeOutcomeForm,
    TrainingSessionForm,
)
from muxiang.training.ledgers import (
    AttendanceLedger,
    FeedbackAnalysisLedger,
    FollowUpVisitLedger,
    MerchantCensusLedger,
    TextbookLedger,
    TraineeOutcomeLedger,
    TrainingSessionLedger,
)
from muxiang.training.models import (
    Attendance,
    FeedbackAnalysis,
    FollowUpVisit,
    MerchantCensus,
    Textbook,
    TraineeOutcome,
    TrainingSession,
)


def _yes(value) -> str:
    return _("是") if value else ""


def _share(share) -> str:
    return "" if share is None else f"{share}%"


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _id_cell(person, user) -> str:
    if person is None:
        return ""
    return (person.id_number or "") if permissions.sees_full_id(user) else mask_id_number(person.id_number)


class TrainingSessionViewSet(RecordViewSet):
    model = TrainingSession
    namespace = LedgerRoute("training", "session")
    url_prefix = "sessions"
    form_class = TrainingSessionForm
    filterset_class = TrainingSessionFilter
    ledger_class = TrainingSessionLedger
    select_related = ("station",)
    list_columns = [
        ListColumn(gettext_lazy("场次编号"), "code"),
        ListColumn(gettext_lazy("培训日期"), "held_on"),
        ListColumn(gettext_lazy("培训名称"), "title"),
        ListColumn(gettext_lazy("培训内容"), "topic"),
        ListColumn(gettext_lazy("培训类别"), "level"),
        ListColumn(gettext_lazy("培训地点"), "place"),
        ListColumn(gettext_lazy("授课老师"), "teacher"),
        ListColumn(gettext_lazy("人次"), "person_times"),
        ListColumn(
            gettext_lazy("贫困户占比"),
            lambda s, u: _share(services.poor_share(s.person_times, s.poor_person_times)),
        ),
    ]

    @classmethod
    def base_queryset(cls, user, deleted=False):
        return services.with_attendance_counts(super().base_queryset(user, deleted))

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        label = str(TrainingSession._meta.get_field("audiences").verbose_name)
        return [
            (name, record.get_audiences_display() if str(name) == label else value) for name, value in rows
        ]

    @classmethod
    def related_sections(cls, record, user):
        attendance = list(
            Attendance.objects.filter(session=record)
            .select_related("person", "person__region")
            .order_by("id")
        )
        poor = sum(1 for a in attendance if a.poor_household)
        share = services.poor_share(len(attendance), poor)
        title = _("签到名单：%(n)d 人次，其中贫困户 %(p)d 人次（%(s)s）") % {
            "n": len(attendance),
            "p": poor,
            "s": _share(share) or "—",
        }
        return [
            (
                title,
                [_("姓名"), _("手机号"), _("村/嘎查"), _("贫困户/脱贫户")],
                [
                    (
                        reverse("training:attendance-detail", args=[a.pk]),
                        [
                            a.person.name,
                            a.person.mobile,
                            a.person.region.name if a.person.region_id else "",
                            _yes(a.poor_household),
                        ],
                    )
                    for a in attendance
                ],
            )
        ]


class AttendanceViewSet(RecordViewSet):
    model = Attendance
    namespace = LedgerRoute("training", "attendance")
    url_prefix = "attendance"
    form_class = AttendanceForm
    filterset_class = AttendanceFilter
    ledger_class = AttendanceLedger
    select_related = ("session", "person")
    list_columns = [
        ListColumn(gettext_lazy("培训日期"), "held_on"),
        ListColumn(gettext_lazy("场次编号"), "session.code"),
        ListColumn(gettext_lazy("培训名称"), "session.title"),
        ListColumn(gettext_lazy("姓名"), "person.name"),
        ListColumn(gettext_lazy("身份证号"), lambda a, u: _id_cell(a.person, u)),
        ListColumn(gettext_lazy("手机号"), "person.mobile"),
        ListColumn(gettext_lazy("贫困户/脱贫户"), lambda a, u: _yes(a.poor_household)),
    ]


class TraineeOutcomeViewSet(RecordViewSet):
    model = TraineeOutcome
    namespace = LedgerRoute("training", "outcome")
    url_prefix = "outcomes"
    form_class = TraineeOutcomeForm
    filterset_class = TraineeOutcomeFilter
    ledger_class = TraineeOutcomeLedger
    select_related = ("person",)
    list_columns = [
        ListColumn(gettext_lazy("学员"), "person.name"),
        ListColumn(gettext_lazy("年度"), "year"),
        ListColumn(gettext_lazy("开设网店"), lambda o, u: _yes(o.sells_online)),
        ListColumn(gettext_lazy("电商企业任职"), lambda o, u: o.employer if o.employed else ""),
        ListColumn(gettext_lazy("网红"), lambda o, u: o.account if o.influencer else ""),
        ListColumn(gettext_lazy("年网络销售额（元）"), lambda o, u: _money(o.annual_online_sales)),
        ListColumn(gettext_lazy("登记日期"), "recorded_on"),
    ]


class FollowUpVisitViewSet(RecordViewSet):
    model = FollowUpVisit
    namespace = LedgerRoute("training", "follow-up")
    url_prefix = "follow-ups"
    form_class = FollowUpVisitForm
    filterset_class = FollowUpVisitFilter
    ledger_class = FollowUpVisitLedger
    select_related = ("person", "organisation")
    list_columns = [
        ListColumn(gettext_lazy("回访编号"), "number"),
        ListColumn(gettext_lazy("回访日期"), "visited_on"),
        ListColumn(gettext_lazy("回访对象"), lambda v, u: v.visited_party),
        ListColumn(gettext_lazy("回访方式"), "method"),
        ListColumn(gettext_lazy("回访人"), "visitor"),
        ListColumn(gettext_lazy("经营情况与问题"), lambda v, u: v.findings[:60]),
    ]


class TextbookViewSet(RecordViewSet):
    model = Textbook
    namespace = LedgerRoute("training", "textbook")
    url_prefix = "textbooks"
    form_class = TextbookForm
    filterset_class = TextbookFilter
    ledger_class = TextbookLedger
    list_columns = [
        ListColumn(gettext_lazy("教材名称"), "title"),
        ListColumn(gettext_lazy("版本"), "version"),
        ListColumn(gettext_lazy("发布日期"), "published_on"),
        ListColumn(gettext_lazy("发布平台"), "published_where"),
    ]

    @classmethod
    def related_sections(cls, record, user):
        versions = Textbook.objects.filter(title=record.title).order_by("-published_on", "-id")
        return [
            (
                _("各版本"),
                [_("版本"), _("发布日期"), _("发布平台")],
                [
                    (
                        reverse("training:textbook-detail", args=[t.pk]),
                        [t.version, t.published_on, t.published_where],
                    )
                    for t in versions
                ],
            )
        ]


class MerchantCensusViewSet(RecordViewSet):
    model = MerchantCensus
    namespace = LedgerRoute("training", "merchant-census")
    url_prefix = "merchant-census"
    form_class = MerchantCensusForm
    filterset_class = MerchantCensusFilter
    ledger_class = MerchantCensusLedger
    list_columns = [
        ListColumn(gettext_lazy("统计年度"), "year"),
        ListColumn(gettext_lazy("统计日期"), "counted_on"),
        ListColumn(gettext_lazy("网商数量"), "merchant_count"),
        ListColumn(
            gettext_lazy("上年网商数量"), lambda c, u: "" if c.previous_count is None else c.previous_count
        ),
        ListColumn(
            gettext_lazy("与上年相比"),
            lambda c, u: services.census_change(c.merchant_count, c.previous_count),
        ),
        ListColumn(gettext_lazy("统计口径"), "method"),
    ]

    @classmethod
    def base_queryset(cls, user, deleted=False):
        return services.with_previous_count(super().base_queryset(user, deleted))

    @classmethod
    def detail_rows(cls, record, user):
        rows = super().detail_rows(record, user)
        # The detail page may show a deleted record, which base_queryset leaves out.
        counted = services.with_previous_count(MerchantCensus.all_objects.filter(pk=record.pk)).get()
        previous = counted.previous_count
        rows.append((_("上年网商数量"), _("未登记") if previous is None else previous))
        rows.append((_("与上年相比"), services.census_change(record.merchant_count, previous) or "—"))
        return rows


class FeedbackAnalysisViewSet(RecordViewSet):
    model = FeedbackAnalysis
    namespace = LedgerRoute("training", "feedback-analysis")
    url_prefix = "feedback-analyses"
    form_class = FeedbackAnalysisForm
    filterset_class = FeedbackAnalysisFilter
    ledger_class = FeedbackAnalysisLedger
    list_columns = [
        ListColumn(gettext_lazy("报告编号"), "number"),
        ListColumn(gettext_lazy("报告名称"), "title"),
        ListColumn(gettext_lazy("分析期间"), lambda r, u: f"{r.period_from} – {r.period_to}"),
        ListColumn(gettext_lazy("成稿日期"), "written_on"),
        ListColumn(gettext_lazy("反馈人数"), "respondents"),
        ListColumn(
            gettext_lazy("满意度（%）"), lambda r, u: "" if r.satisfaction is None else r.satisfaction
        ),
    ]
