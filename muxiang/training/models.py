"""E-commerce training (电商培训, contract 3, and the standardisation trainings of 2.4).

The programme trains officials, businesses, farmers and herders, 驻村第一书记, returned students,
veterans and cooperative members, and then follows its trainees up. What the contract counts:

- person-times (人次) of the sessions, one per person per session, of which at least 7% from poor
  households and 500 in advanced (增值) trainings — from ``Attendance``, the sign-in sheets;
- what trainees went on to do (``TraineeOutcome``): sell online, work at an e-commerce firm, become
  an online influencer, and their yearly online sales — the conversion rate and its three counts;
- the follow-up visits after training (``FollowUpVisit``), the yearly count of online merchants in
  the county (``MerchantCensus``), the feedback analyses that shape the next period's plan
  (``FeedbackAnalysis``) and the standard textbook (``Textbook``).

Every one of them is dated programme work under a contract (``ContractRecord``): frozen with its
accepted phase.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.contracts.records import ContractRecord
from muxiang.core.models import EvidenceMarked
from muxiang.training.choices import TrainingAudience, TrainingLevel, TrainingTopic, VisitMethod

ALIVE = Q(deleted_at__isnull=True)
YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


def _labels(values, choices) -> str:
    labels = dict(choices)
    return "、".join(str(labels.get(v, v)) for v in values or [])


class OnceAmongLive:
    """A record unique among the live ones (a constraint with ``deleted_at IS NULL``): a deleted
    one may be entered again, and then the deleted one cannot be restored beside it."""

    restore_refused = _("已有相同的记录，不能恢复这一条")

    def live_twins(self):
        """The other live records this one may not stand beside."""
        raise NotImplementedError

    def assert_writable(self) -> None:
        super().assert_writable()
        if self.deleted_at is not None and self.live_twins().exists():
            raise ValidationError(self.restore_refused)


class TrainingSession(ContractRecord, EvidenceMarked):
    """A 培训场次: one training held on one day at one place by one teacher, on one topic, for one or
    more audiences, basic (普及) or advanced (增值). Its sign-in sheet (签到表) and photos are its
    evidence; the people on the sheet are its ``Attendance``. A session held at a station belongs to
    that station: its manager reads it and its attendance, and writes nothing.

    Sessions on the trade standard (topic ``standards``) are the 网销标准化培训 of contract 2.4."""

    code = models.CharField(
        _("场次编号"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("签到表导入时按此编号找到场次；留空则自动编号，如 PX-20260315-01"),
    )
    title = models.CharField(_("培训名称"), max_length=200)
    topic = models.CharField(_("培训内容"), max_length=20, choices=TrainingTopic.choices)
    audiences = models.JSONField(_("培训对象"), default=list, blank=True)
    level = models.CharField(
        _("培训类别"), max_length=10, choices=TrainingLevel.choices, default=TrainingLevel.BASIC
    )
    held_on = models.DateField(_("培训日期"))
    place = models.CharField(_("培训地点"), max_length=200)
    teacher = models.CharField(_("授课老师"), max_length=100)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("举办站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions",
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)
    # Stored figures (``training.rollups``): the live attendance of the session and how much of it
    # is of poor households, so that the person-times of a window read 2,500 sessions, not 250,000
    # sign-in lines. Kept by every write of an attendance row; ``muxiang rollups check`` verifies.
    attendance_count = models.PositiveIntegerField(_("签到人次"), default=0, editable=False)
    poor_attendance_count = models.PositiveIntegerField(_("贫困户/脱贫户人次"), default=0, editable=False)

    date_field = "held_on"
    scope_station_path = "station"
    list_choices = {"audiences": TrainingAudience.choices}

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = pgettext_lazy("singular", "培训场次")
        verbose_name_plural = _("培训场次")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "held_on"], name="training_session_contract_day")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("training:session-detail", args=[self.pk])

    def get_audiences_display(self) -> str:
        return _labels(self.audiences, TrainingAudience.choices)

    def clean(self):
        super().clean()
        unknown = [a for a in self.audiences or [] if a not in TrainingAudience.values]
        if unknown:
            raise ValidationError(
                {"audiences": _("未知的培训对象：%(a)s") % {"a": "、".join(map(str, unknown))}}
            )
        if self.pk and self.held_on and self.held_on > timezone.localdate() and self.attendances.exists():
            raise ValidationError({"held_on": _("该场次已有签到记录，日期不能改到今天以后")})

    def save(self, *args, **kwargs):
        from muxiang.training import services

        if not self.code:
            self.code = services.next_number(TrainingSession, "code", "PX", self.held_on)
        moved = services.session_moved(self)
        super().save(*args, **kwargs)
        if moved:
            services.sync_attendance(self)


class Attendance(OnceAmongLive, ContractRecord):
    """One line of a sign-in sheet (签到表): a person at a session. A person counts once per
    session (one person-time, 人次), so there is at most one live attendance per (session, person).
    The poor-household flag is as the sheet declares it (by default as the person is registered):
    the contract's 7% share is of these person-times.

    The session's date and contract are copied onto the row (``held_on``, ``contract``) and kept in
    step with the session by ``services.sync_attendance``: the frozen-phase check, the filters and
    the exports see the date on the row itself. Imports write 100,000 of these rows at a time, and
    every index is paid on each of them: the table's only index besides the primary key is the
    unique (session, person) one, through which the figures reach it from the sessions of a
    window (the sessions' own (contract, held_on) index)."""

    # A copy of the session's contract, guarded by the session's own foreign key: neither an index
    # nor a database constraint of its own (each is paid on every row of a large import).
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        editable=False,
    )
    # The unique (session, person) index leads with the session: no index of its own.
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("培训场次"),
        on_delete=models.PROTECT,
        related_name="attendances",
        db_index=False,
    )
    # Not indexed: every index is paid on each row of a large import, and a person's attendance is
    # looked up only when the person is purged.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("学员"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
        db_index=False,
    )
    poor_household = models.BooleanField(
        _("贫困户/脱贫户"), default=False, help_text=_("按签到表登记；未填写时取人员登记的情况")
    )
    held_on = models.DateField(_("培训日期"), editable=False)
    # As SoftDeleteModel's, without their indexes: nearly every row is alive, so an index on the
    # deletion time selects nothing, and one on who deleted serves only that user's removal. Nor a
    # database constraint on who deleted: PostgreSQL queues its check for every inserted row, null
    # or not, and runs them all at the commit of an import (SET_NULL is Django's, not the database's).
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
    )

    date_field = "held_on"
    scope_station_path = "session__station"

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = pgettext_lazy("singular", "培训签到")
        verbose_name_plural = _("培训签到")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=ALIVE,
                name="training_attendance_once",
                violation_error_message=_("该学员已在此培训场次签到"),
            )
        ]

    def __str__(self):
        return f"{self.session.code} {self.person}"

    def get_absolute_url(self):
        return reverse("training:attendance-detail", args=[self.pk])

    def take_session_facts(self) -> None:
        """The date and contract are the session's (see the class docstring)."""
        if self.session_id:
            self.held_on = self.session.held_on
            self.contract_id = self.session.contract_id

    def clean(self):
        self.take_session_facts()
        if self.session_id and self.held_on and self.held_on > timezone.localdate():
            raise ValidationError(
                {"session": _("该培训场次尚未举行（%(d)s），不能签到") % {"d": self.held_on}}
            )
        try:
            super().clean()
        except ValidationError as exc:
            # The date is the session's: the form shows the problem on the session it came from.
            raise ValidationError({"session": exc.messages}) from exc
        if self.session_id and self.person_id and self.live_twins().exists():
            raise ValidationError({"person": _("该学员已在此培训场次签到，同一人同一场次只计一次")})

    restore_refused = _("该学员已在此培训场次重新签到，不能恢复这一条")

    def live_twins(self):
        twins = Attendance.objects.filter(session_id=self.session_id, person_id=self.person_id)
        return twins.exclude(pk=self.pk)

    def save(self, *args, **kwargs):
        self.take_session_facts()
        super().save(*args, **kwargs)


class TrainedPerson(models.Model):
    """A person trained under a contract, and the day of the first live session of that contract
    they attended: "the people trained by a day" for the conversion rate, read from 60,000 rows of
    this table instead of collapsing 250,000 attendance rows. A stored figure (``training.rollups``),
    rewritten from the attendance whenever an attendance row or a session changes; no record of its
    own (no audit, no soft delete): a person without live attendance under the contract has no row."""

    # No index of their own: the unique (contract, person) index serves both, and an import that
    # stores 50,000 of these rows pays for every index it has to maintain.
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    first_trained_on = models.DateField(_("首次参训日期"))

    class Meta:
        verbose_name = _("参训学员")
        verbose_name_plural = _("参训学员")
        constraints = [
            models.UniqueConstraint(fields=["contract", "person"], name="training_trained_person_once")
        ]
        indexes = [
            models.Index(fields=["contract", "first_trained_on", "person"], name="training_trained_first_day")
        ]

    def __str__(self):
        return f"{self.person_id} {self.first_trained_on}"


class TraineeOutcome(OnceAmongLive, ContractRecord, EvidenceMarked):
    """What a trainee went on to do in a year (学员成效): selling online (开网店), working at an
    e-commerce firm (推荐任职), being an online influencer (网红), and the year's online sales. One per
    person and year. The contract's conversion rate (3%) is the share of trainees with any of the
    three; its counts are the 100-万-yuan merchants, the placements and the influencers (10 each).
    Screenshots of the shop, the employment contract or the sales statement are its evidence."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("学员"), on_delete=models.PROTECT, related_name="training_outcomes"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEARS)
    recorded_on = models.DateField(_("登记日期"), validators=[not_in_future])
    sells_online = models.BooleanField(_("开设网店/网上销售"), default=False)
    shop = models.CharField(_("网店名称或链接"), max_length=200, blank=True)
    employed = models.BooleanField(_("进入电商企业任职"), default=False)
    employer = models.CharField(_("任职企业"), max_length=200, blank=True)
    influencer = models.BooleanField(_("成为网红"), default=False)
    account = models.CharField(
        _("网红账号"), max_length=200, blank=True, help_text=_("平台及账号，如 抖音 @草原小羊")
    )
    annual_online_sales = models.DecimalField(
        _("年网络销售额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("该年度的网络销售额；不清楚时留空"),
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "recorded_on"

    class Meta:
        ordering = ["-year", "-recorded_on", "-id"]
        verbose_name = pgettext_lazy("singular", "学员成效")
        verbose_name_plural = _("学员成效")
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["contract", "recorded_on"], name="training_outcome_contract_day"),
            models.Index(fields=["contract", "year"], name="training_outcome_contract_year"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=ALIVE,
                name="training_outcome_once_per_year",
                violation_error_message=_("该学员该年度的成效已登记"),
            )
        ]

    def __str__(self):
        return f"{self.person} {self.year}年"

    def get_absolute_url(self):
        return reverse("training:outcome-detail", args=[self.pk])

    @property
    def converted(self) -> bool:
        return self.sells_online or self.employed or self.influencer

    def clean(self):
        super().clean()
        errors = {}
        if self.employed and not self.employer.strip():
            errors["employer"] = _("进入电商企业任职时请填写任职企业")
        if self.influencer and not self.account.strip():
            errors["account"] = _("成为网红时请填写平台及账号")
        if self.year and self.recorded_on and self.recorded_on < datetime.date(self.year, 1, 1):
            errors["year"] = _("登记日期 %(d)s 早于 %(y)s 年，不能登记该年度的成效") % {
                "d": self.recorded_on.isoformat(),
                "y": self.year,
            }
        if self.person_id and self.year and self.live_twins().exists():
            errors["year"] = _("该学员 %(y)s 年的成效已登记，请修改那一条") % {"y": self.year}
        if errors:
            raise ValidationError(errors)

    restore_refused = _("该学员该年度的成效已重新登记，不能恢复这一条")

    def live_twins(self):
        twins = TraineeOutcome.objects.filter(person_id=self.person_id, year=self.year)
        return twins.exclude(pk=self.pk)


class FollowUpVisit(ContractRecord, EvidenceMarked):
    """A 回访 after training: the operator visits, phones or messages a trainee or a business it
    trained, records how they are doing and what help was given. The contract wants at least 10."""

    number = models.CharField(
        _("回访编号"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("留空则自动编号，如 HF-20260315-01"),
    )
    visited_on = models.DateField(_("回访日期"), validators=[not_in_future])
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("回访学员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up_visits",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("回访经营主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up_visits",
    )
    method = models.CharField(
        _("回访方式"), max_length=10, choices=VisitMethod.choices, default=VisitMethod.VISIT
    )
    visitor = models.CharField(_("回访人"), max_length=50, blank=True)
    findings = models.TextField(_("经营情况与问题"))
    help_given = models.TextField(_("提供的帮助"), blank=True)

    date_field = "visited_on"

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = pgettext_lazy("singular", "跟踪回访")
        verbose_name_plural = _("跟踪回访")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "visited_on"], name="training_visit_contract_day")]

    def __str__(self):
        return f"{self.number} {self.visited_party}"

    def get_absolute_url(self):
        return reverse("training:follow-up-detail", args=[self.pk])

    @property
    def visited_party(self) -> str:
        return str(self.person or self.organisation or "")

    def clean(self):
        super().clean()
        if not self.person_id and not self.organisation_id:
            raise ValidationError({"person": _("请选择回访的学员或经营主体（至少一项）")})

    def save(self, *args, **kwargs):
        from muxiang.training import services

        if not self.number:
            self.number = services.next_number(FollowUpVisit, "number", "HF", self.visited_on)
        super().save(*args, **kwargs)


class Textbook(OnceAmongLive, ContractRecord):
    """A version of the 标准化培训教材 for rural e-commerce leaders (contract 3: one set, promoted on
    the WeChat public account and other platforms). Each revision is a record of its own, so the
    list shows every version and where it was published."""

    title = models.CharField(_("教材名称"), max_length=200)
    version = models.CharField(_("版本"), max_length=30, help_text=_("如 第1版、2026 修订版"))
    published_on = models.DateField(_("发布日期"), validators=[not_in_future])
    published_where = models.CharField(
        _("发布平台"), max_length=200, help_text=_("如 微信公众号「乌拉特中旗电商」、旗电商公共服务中心")
    )
    url = models.URLField(_("链接"), max_length=300, blank=True)
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "published_on"

    class Meta:
        ordering = ["title", "-published_on", "-id"]
        verbose_name = pgettext_lazy("singular", "标准化教材")
        verbose_name_plural = _("标准化教材")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "published_on"], name="training_textbook_contract_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "version"],
                condition=ALIVE,
                name="training_textbook_one_per_version",
                violation_error_message=_("该教材的这一版本已登记"),
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.version}）"

    def get_absolute_url(self):
        return reverse("training:textbook-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.title and self.version and self.live_twins().exists():
            raise ValidationError(
                {"version": _("「%(t)s」的%(v)s已登记") % {"t": self.title, "v": self.version}}
            )

    restore_refused = _("该教材的这一版本已重新登记，不能恢复这一条")

    def live_twins(self):
        twins = Textbook.objects.filter(title=self.title.strip(), version=self.version.strip())
        return twins.exclude(pk=self.pk)


class MerchantCensus(OnceAmongLive, ContractRecord, EvidenceMarked):
    """The yearly count of online merchants (网商) in the county (contract 3: 每年统计全旗网商数量，与上年
    形成对比数据资料). One per contract and year; the change from the year before is computed from the
    two counts, never typed. The statistics report is its evidence."""

    year = models.PositiveSmallIntegerField(_("统计年度"), validators=YEARS)
    counted_on = models.DateField(_("统计日期"), validators=[not_in_future])
    merchant_count = models.PositiveIntegerField(_("网商数量"))
    method = models.CharField(
        _("统计口径"), max_length=200, blank=True, help_text=_("如 平台店铺注册地在本旗、年内有交易的网店")
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    date_field = "counted_on"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = pgettext_lazy("singular", "网商统计")
        verbose_name_plural = _("网商统计")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "counted_on"], name="training_census_contract_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year"],
                condition=ALIVE,
                name="training_census_one_per_year",
                violation_error_message=_("该合同该年度的网商统计已登记"),
            )
        ]

    def __str__(self):
        return f"{self.year}年网商统计"

    def get_absolute_url(self):
        return reverse("training:merchant-census-detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.year and self.counted_on and self.counted_on < datetime.date(self.year, 1, 1):
            errors["counted_on"] = _("统计日期 %(d)s 早于 %(y)s 年") % {
                "d": self.counted_on.isoformat(),
                "y": self.year,
            }
        if self.contract_id and self.year and self.live_twins().exists():
            errors["year"] = _("%(y)s 年的网商统计已登记，请修改那一条") % {"y": self.year}
        if errors:
            raise ValidationError(errors)

    restore_refused = _("该年度的网商统计已重新登记，不能恢复这一条")

    def live_twins(self):
        twins = MerchantCensus.objects.filter(contract_id=self.contract_id, year=self.year)
        return twins.exclude(pk=self.pk)


class FeedbackAnalysis(ContractRecord, EvidenceMarked):
    """A 人才培养跟踪服务反馈分析报告: what the trainees of a period said (respondents, satisfaction)
    and how the next period's training plan changes because of it (contract 3: 根据分析报告，制定或调整
    下一期培训方案). The report itself is its evidence."""

    number = models.CharField(
        _("报告编号"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("留空则自动编号，如 FX-20260315-01"),
    )
    title = models.CharField(_("报告名称"), max_length=200)
    period_from = models.DateField(_("分析期间（起）"))
    period_to = models.DateField(_("分析期间（止）"))
    written_on = models.DateField(_("成稿日期"), validators=[not_in_future])
    respondents = models.PositiveIntegerField(_("反馈人数"), default=0)
    satisfaction = models.DecimalField(
        _("满意度（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    summary = models.TextField(_("反馈分析"))
    next_plan = models.TextField(_("下期培训方案调整"))

    date_field = "written_on"

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = pgettext_lazy("singular", "培训反馈分析报告")
        verbose_name_plural = _("培训反馈分析报告")
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["contract", "written_on"], name="training_analysis_contract_day")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("training:feedback-analysis-detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.period_from and self.period_to and self.period_from > self.period_to:
            errors["period_to"] = _("分析期间的止日不能早于起日")
        if self.period_from and self.written_on and self.written_on < self.period_from:
            errors["written_on"] = _("成稿日期不能早于分析期间的起日")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from muxiang.training import services

        if not self.number:
            self.number = services.next_number(FeedbackAnalysis, "number", "FX", self.written_on)
        super().save(*args, **kwargs)
