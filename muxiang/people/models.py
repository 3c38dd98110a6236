from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from muxiang.core.models import SoftDeleteModel
from muxiang.core.validators import (
    birth_date_from_id,
    gender_from_id,
    mask_id_number,
    normalise_id_number,
    validate_id_number,
    validate_mobile,
)
from muxiang.people.choices import Gender, PersonKind


class Person(SoftDeleteModel):
    """A person the programme records: operator staff, station managers, trainees and contacts.

    The resident ID number (GB 11643) identifies trainees across sessions, so that person-times and
    the share of poor households (贫困户/脱贫户, at least 7% of training person-times) can be
    counted. It is personal data: only operator roles see it in full; everyone else gets it masked
    (1508**********1234) on pages, exports and API responses."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(
        _("身份证号"), max_length=18, unique=True, null=True, blank=True, validators=[validate_id_number]
    )
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    mobile = models.CharField(
        _("手机号"), max_length=11, blank=True, db_index=True, validators=[validate_mobile]
    )
    kinds = models.JSONField(_("人员类别"), default=list, blank=True)
    poor_household = models.BooleanField(_("贫困户/脱贫户"), default=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("户籍/居住地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("所属站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    notes = models.CharField(_("备注"), max_length=300, blank=True)

    # The birth date is in the ID number: masking one and showing the other would give it away.
    sensitive_fields = ("id_number", "birth_date")
    scope_station_path = "station"
    scope_manager_actions = ("add", "change")
    list_choices = {"kinds": PersonKind.choices}

    class Meta:
        ordering = ["name", "id"]
        verbose_name = pgettext_lazy("singular", "人员")
        verbose_name_plural = _("人员")
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:detail", args=[self.pk])

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def get_kinds_display(self) -> str:
        labels = dict(PersonKind.choices)
        return "、".join(str(labels.get(k, k)) for k in self.kinds)

    def clean(self):
        unknown = [k for k in self.kinds if k not in PersonKind.values]
        if unknown:
            raise ValidationError({"kinds": _("未知的人员类别：%(k)s") % {"k": "、".join(unknown)}})
        if self.region_id and self.region.level == "county":
            raise ValidationError({"region": _("请选择到镇/苏木或村/嘎查")})

    def save(self, *args, **kwargs):
        self.id_number = normalise_id_number(self.id_number) or None
        if self.id_number:
            # The ID number is authoritative for birth date and gender.
            self.birth_date = birth_date_from_id(self.id_number)
            self.gender = gender_from_id(self.id_number)
        super().save(*args, **kwargs)
