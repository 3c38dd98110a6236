"""The trade standard (网销流通标准, contract section 2.4): a written standard for selling one
industry's produce online (grading, packing, labelling, cold chain …), its versions — one of them
current — and the enterprises that apply it.

The trainings on the standard are training sessions of topic 网销标准化 (``training``), which the
metric ``standards.trainings`` counts; a standard's page lists them, no copy is kept here. Whether
the standard exists and is promoted is a checklist item of the contract (evidence and sign-off in
``contracts``); the files attached here are what the operator hands over as that evidence.

The standard belongs to the operator: station managers see none of it (``core.permissions``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from muxiang.contracts.records import PhaseDatedRecord


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天：%(v)s") % {"v": value.isoformat()})


class StandardRecord(PhaseDatedRecord):
    """What the standard records share: the unique keys checked against soft-deleted rows too, the
    rules of ``standards.services`` asked on every write and on restore, and the freeze of an
    accepted phase. The standard is the county's, not one contract's: a version or an adoption
    dated in an accepted phase of any contract is frozen (``PhaseDatedRecord``) until the operator
    admin unlocks the phase."""

    unique_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self):
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name in self.unique_fields:
            value = getattr(self, name, "")
            if value and name not in errors:
                other = type(self).all_objects.filter(**{name: value}).exclude(pk=self.pk).first()
                if other is not None and other.deleted_at:
                    errors[name] = [
                        _("「%(k)s」已登记在已删除的记录「%(r)s」中，请先在回收站恢复")
                        % {"k": value, "r": other}
                    ]
                elif other is not None:
                    errors[name] = [_("「%(k)s」已登记：%(r)s") % {"k": value, "r": other}]
        for name, problem in self.rule_problems().items():
            errors.setdefault(name, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def rule_problems(self) -> dict[str, str]:
        return {}

    def assert_writable(self) -> None:
        super().assert_writable()
        if self.deleted_at:
            problems = self.rule_problems()
            if problems:
                raise ValidationError(next(iter(problems.values())))


class TradeStandard(StandardRecord):
    """A 网销流通标准: the standard for one industry's produce sold online (第二条 2.4 一: one set,
    for the industry chosen). Its text lives in its versions; its own files are the drafting and
    promotion material (documents, photos of promotion events)."""

    title = models.CharField(gettext_lazy("标准名称"), max_length=200, unique=True)
    industry = models.CharField(
        gettext_lazy("适用产业"), max_length=50, help_text=gettext_lazy("如：肉羊（选择 1 个产业着重打造）")
    )
    issuer = models.CharField(
        gettext_lazy("发布单位"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("如：乌拉特中旗电子商务协会"),
    )
    scope_text = models.TextField(gettext_lazy("适用范围"), blank=True)
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    unique_fields = ("title",)

    class Meta:
        ordering = ["title"]
        verbose_name = pgettext_lazy("singular", "网销流通标准")
        verbose_name_plural = gettext_lazy("网销流通标准")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("standards:standard-detail", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.filter(is_current=True).first()


class StandardVersion(StandardRecord):
    """One issued version of a standard (标准文本): its number (标准编号), version, effective date
    and the text as a document file. Exactly one version of a standard is current (现行); a new
    version becomes current through ``services.make_current``, which retires the old one."""

    standard = models.ForeignKey(
        TradeStandard, verbose_name=gettext_lazy("标准"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.CharField(
        gettext_lazy("标准编号"),
        max_length=50,
        unique=True,
        help_text=gettext_lazy("如 T/WLTZQ 001—2025；导入时按此匹配"),
    )
    version = models.CharField(
        gettext_lazy("版本"), max_length=30, help_text=gettext_lazy("如 V1.0、2025 版")
    )
    effective_on = models.DateField(gettext_lazy("实施日期"))
    is_current = models.BooleanField(gettext_lazy("现行版本"), default=False)
    changes = models.TextField(gettext_lazy("主要内容/修订说明"), blank=True)

    unique_fields = ("number",)
    date_field = "effective_on"

    class Meta:
        ordering = ["standard", "-effective_on", "-id"]
        verbose_name = pgettext_lazy("singular", "标准版本")
        verbose_name_plural = gettext_lazy("标准版本")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["standard"],
                condition=models.Q(is_current=True, deleted_at__isnull=True),
                name="standards_one_current_version",
                violation_error_message=gettext_lazy("每项标准只能有一个现行版本"),
            )
        ]

    def __str__(self):
        return f"{self.number}（{self.version}）"

    def get_absolute_url(self):
        return reverse("standards:version-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.standards import services

        return services.version_problems(self)


class StandardAdoption(StandardRecord):
    """An enterprise applying the standard (执行企业) since a date, proved by its commitment letter
    or inspection record (evidence). An enterprise applies a standard once (live records)."""

    standard = models.ForeignKey(
        TradeStandard, verbose_name=gettext_lazy("标准"), on_delete=models.PROTECT, related_name="adoptions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=gettext_lazy("执行企业"),
        on_delete=models.PROTECT,
        related_name="standard_adoptions",
    )
    since = models.DateField(gettext_lazy("执行日期"), validators=[not_in_future])
    products = models.CharField(gettext_lazy("执行产品"), max_length=200, blank=True)
    notes = models.CharField(gettext_lazy("备注"), max_length=300, blank=True)

    date_field = "since"

    class Meta:
        ordering = ["standard", "since", "id"]
        verbose_name = pgettext_lazy("singular", "执行企业")
        verbose_name_plural = gettext_lazy("执行企业")
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "organisation"],
                condition=models.Q(deleted_at__isnull=True),
                name="standards_adopted_once",
                violation_error_message=gettext_lazy("该企业已执行此标准"),
            )
        ]

    def __str__(self):
        if not (self.standard_id and self.organisation_id):
            return _("新执行企业")
        return f"{self.organisation} · {self.standard}"

    def get_absolute_url(self):
        return reverse("standards:adoption-detail", args=[self.pk])

    def rule_problems(self):
        from muxiang.standards import services

        return services.adoption_problems(self)
