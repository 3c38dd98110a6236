from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.contracts.choices import AcceptanceState, Comparison, PaymentState, PaymentTrigger, TargetMode
from muxiang.core.models import AuditedModel


class Contract(AuditedModel):
    """A programme contract between the county (甲方, the client) and the operator (乙方): its
    amount, phases, payment milestones, performance targets and obligations, loaded from a TOML
    file (docs/contract-format.md). One installation may hold the contracts of several counties."""

    key = models.SlugField(_("合同标识"), max_length=80, unique=True)
    name = models.CharField(_("合同名称"), max_length=200)
    project_number = models.CharField(_("项目编号"), max_length=80, blank=True)
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("旗/县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    county_name = models.CharField(_("旗/县名称"), max_length=100)
    client_name = models.CharField(_("甲方"), max_length=200)
    operator_name = models.CharField(_("乙方"), max_length=200)
    total_amount = models.DecimalField(_("合同总金额（元）"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    service_years = models.PositiveSmallIntegerField(_("服务期（年）"), null=True, blank=True)
    maintenance_years = models.PositiveSmallIntegerField(_("维护期（年）"), null=True, blank=True)
    source = models.TextField(_("合同文件（TOML）"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = pgettext_lazy("singular", "合同")
        verbose_name_plural = _("合同")

    def __str__(self):
        return self.name


class Phase(AuditedModel):
    """A phase of the contract (阶段): its dates bound which records count, and its acceptance
    (验收) releases a payment."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("阶段"))
    title = models.CharField(_("名称"), max_length=100, blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), help_text=_("含当日"))

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contracts_phase_unique_number")
        ]
        verbose_name = pgettext_lazy("singular", "阶段")
        verbose_name_plural = _("阶段")

    def acceptances_exist(self) -> bool:
        """Whether anything happened to this phase's acceptance (requested, accepted, returned)."""
        return PhaseAcceptance.objects.filter(phase=self).exclude(state="open").exists()

    def __str__(self):
        return self.title or _("第 %(n)d 阶段") % {"n": self.number}


class PaymentMilestone(AuditedModel):
    """A payment (付款节点): a share of the contract amount due at signing or after a phase's acceptance."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    key = models.CharField(_("标识"), max_length=80)
    title = models.CharField(_("名称"), max_length=200)
    share = models.DecimalField(_("比例（%）"), max_digits=6, decimal_places=3)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    trigger = models.CharField(_("触发条件"), max_length=12, choices=PaymentTrigger.choices)
    trigger_phase = models.PositiveSmallIntegerField(_("验收阶段"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    paid_on = models.DateField(_("付款日期"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["contract", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="contracts_payment_unique_key")
        ]
        verbose_name = pgettext_lazy("singular", "付款节点")
        verbose_name_plural = _("付款节点")

    def __str__(self):
        return self.title

    def state_on(self, today, accepted_phases, first_start) -> str:
        """Paid once recorded; otherwise due from the first phase's start (signing) or from the
        acceptance of its phase. Derived, not stored, so that it never disagrees with acceptances."""
        if self.paid_on is not None:
            return PaymentState.PAID
        if self.trigger == PaymentTrigger.SIGNING:
            due = first_start is not None and today >= first_start
        else:
            due = self.trigger_phase in accepted_phases
        return PaymentState.DUE if due else PaymentState.NOT_DUE


class Target(AuditedModel):
    """A performance target (绩效目标): a number the contract demands, per phase and in total,
    measured by a named metric from the records."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    key = models.CharField(_("标识"), max_length=80)
    section = models.CharField(_("条款"), max_length=20)
    title = models.TextField(_("合同表述"))
    unit = models.CharField(_("单位"), max_length=20)
    metric = models.CharField(_("计量指标"), max_length=80)
    params = models.JSONField(_("指标参数"), default=dict, blank=True)
    total = models.DecimalField(_("合同期总目标"), max_digits=16, decimal_places=2, null=True, blank=True)
    mode = models.CharField(
        _("计量方式"), max_length=12, choices=TargetMode.choices, default=TargetMode.PER_PHASE
    )
    comparison = models.CharField(
        _("比较"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    evidence = models.JSONField(_("所需佐证"), default=list, blank=True)
    source = models.CharField(_("出处"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contract", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="contracts_target_unique_key")
        ]
        verbose_name = pgettext_lazy("singular", "绩效目标")
        verbose_name_plural = _("绩效目标")

    def __str__(self):
        return f"{self.section} {self.key}"

    @property
    def evidence_display(self) -> str:
        return evidence_labels(self.evidence)


class PhaseTarget(models.Model):
    """The figure a target demands in one phase (the annex's column for that phase)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="phase_targets")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("阶段目标"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["target", "phase__number"]
        constraints = [
            models.UniqueConstraint(fields=["target", "phase"], name="contracts_phasetarget_unique")
        ]

    def __str__(self):
        return f"{self.target.key} @ {self.phase.number}: {self.value}"


class Obligation(AuditedModel):
    """A qualitative obligation (the 1,200 m² centre, the implementation plan, …): a checklist item
    met by evidence and a sign-off at the acceptance of the phases named."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    key = models.CharField(_("标识"), max_length=80)
    section = models.CharField(_("条款"), max_length=20)
    title = models.TextField(_("内容"))
    phases = models.JSONField(_("验收阶段"), default=list)
    evidence = models.JSONField(_("所需佐证"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contract", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "key"], name="contracts_obligation_unique_key")
        ]
        verbose_name = pgettext_lazy("singular", "履约事项")
        verbose_name_plural = _("履约事项")

    def __str__(self):
        return f"{self.section} {self.key}"

    @property
    def evidence_display(self) -> str:
        return evidence_labels(self.evidence)


def _user_fk(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class PhaseAcceptance(AuditedModel):
    """The acceptance (验收) of one phase: the operator requests it once every checklist item is met,
    the client supervisor signs it off or returns it with reasons. An accepted phase's records are
    frozen until the operator admin unlocks it, with a reason, and locks it again."""

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="acceptance")
    state = models.CharField(
        _("验收状态"), max_length=12, choices=AcceptanceState.choices, default=AcceptanceState.OPEN
    )
    requested_by = _user_fk(_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    decided_by = _user_fk(_("验收人"))
    decided_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    reasons = models.TextField(_("退回理由"), blank=True)
    unlocked_by = _user_fk(_("解锁人"))
    unlocked_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)
    unlock_reason = models.TextField(_("解锁理由"), blank=True)

    class Meta:
        ordering = ["phase"]
        verbose_name = pgettext_lazy("singular", "阶段验收")
        verbose_name_plural = _("阶段验收")

    def __str__(self):
        return _("%(phase)s验收") % {"phase": self.phase}

    @property
    def is_frozen(self) -> bool:
        return self.state == AcceptanceState.ACCEPTED and self.unlocked_at is None


class ObligationFulfilment(AuditedModel):
    """How an obligation (履约事项) is met in one phase: evidence files attached to this record and
    the client supervisor's sign-off."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="fulfilments")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="fulfilments")
    signed_off_by = _user_fk(_("确认人"))
    signed_off_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["phase", "obligation"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "phase"], name="contracts_fulfilment_unique")
        ]
        verbose_name = pgettext_lazy("singular", "履约确认")
        verbose_name_plural = _("履约确认")

    def __str__(self):
        return f"{self.obligation} @ {self.phase.number}"


class ManualFigure(AuditedModel):
    """A figure entered by hand for a target whose metric is ``manual`` (no ledger measures it),
    with evidence. Entries are kept: progress shows the latest one of the phase."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="manual_figures")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="manual_figures")
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2)
    note = models.TextField(_("说明"), blank=True)
    entered_by = _user_fk(_("填报人"))

    class Meta:
        ordering = ["target", "phase", "-created_at", "-id"]
        verbose_name = pgettext_lazy("singular", "人工填报数值")
        verbose_name_plural = _("人工填报数值")

    def __str__(self):
        return f"{self.target.key} @ {self.phase.number}: {self.value}"


def evidence_labels(kinds) -> str:
    """A target's or obligation's required evidence as people read it: "通知、照片、签到表"."""
    from muxiang.core.choices import EvidenceKind

    labels = dict(EvidenceKind.choices)
    return "、".join("或".join(str(labels.get(k, k)) for k in str(r).split("|")) for r in kinds or ())
