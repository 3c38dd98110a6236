"""Users of muxiang and their roles: operator admin and staff, station managers, client
supervisors and auditors. A station manager is tied to one station and sees only its records."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from muxiang.core.permissions import Role


class MuxiangUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `muxiang createsuperuser` makes an operator admin, not a role-less superuser.
        extra_fields.setdefault("role", Role.OPERATOR_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. The role decides what they see; a station manager also has a station."""

    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, default=Role.OPERATOR_STAFF)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("所属站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    objects = MuxiangUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role == Role.STATION_MANAGER and not self.station_id:
            raise ValidationError({"station": _("站点负责人必须指定所属站点")})


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key for the REST API. Only its SHA-256 is stored; the key itself is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def new_key(cls) -> str:
        return "mx_" + secrets.token_urlsafe(32)
