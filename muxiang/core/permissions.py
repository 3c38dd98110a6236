"""Who may see and change what: the one scoping layer every view, export and API route goes through.

A model states how it reaches a station with ``scope_station_path`` (a lookup such as ``"station"``,
or ``"pk"`` for ``Station`` itself). A station manager sees only rows whose path leads to their own
station; a model without such a path is hidden from them unless it is ``scope_public`` (reference
data such as the region tree). ``scope_manager_actions`` names what a manager may do to their own
station's rows. Operator admin and staff read and write everything; the client supervisor and the
auditor read everything and write nothing here.
"""

import re

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR_ADMIN = "operator_admin", _("运营方管理员")
    OPERATOR_STAFF = "operator_staff", _("运营方工作人员")
    STATION_MANAGER = "station_manager", _("站点负责人")
    CLIENT_SUPERVISOR = "client_supervisor", _("甲方监管人员")
    AUDITOR = "auditor", _("审计人员")


OPERATOR_ROLES = {Role.OPERATOR_ADMIN, Role.OPERATOR_STAFF}
READ_EVERYTHING_ROLES = OPERATOR_ROLES | {Role.CLIENT_SUPERVISOR, Role.AUDITOR}
# Resident ID numbers are shown in full only to those who register people; everyone else gets
# the masked form on every page, export and API response.
FULL_ID_ROLES = OPERATOR_ROLES


def role_of(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "role", None)


def is_station_manager(user) -> bool:
    return role_of(user) == Role.STATION_MANAGER


def scope(queryset, user):
    """Narrow ``queryset`` to what ``user`` may read."""
    role = role_of(user)
    if role in READ_EVERYTHING_ROLES:
        return queryset
    model = queryset.model
    if role == Role.STATION_MANAGER:
        path = getattr(model, "scope_station_path", None)
        if path and user.station_id:
            return queryset.filter(**{path: user.station_id})
        if getattr(model, "scope_public", False):
            return queryset
    return queryset.none()


def station_of(obj):
    """The station id a record belongs to, following the model's scope path."""
    path = getattr(type(obj), "scope_station_path", None)
    if not path:
        return None
    if path == "pk":
        return obj.pk
    target = obj
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, parts[-1] + "_id", None)


def _manager_may(user, model, action: str, obj=None) -> bool:
    if action not in getattr(model, "scope_manager_actions", ()):
        return False
    if not user.station_id:
        return False
    if obj is None:
        return True
    return station_of(obj) == user.station_id


def can_view(user, model) -> bool:
    role = role_of(user)
    if role in READ_EVERYTHING_ROLES:
        return True
    if role == Role.STATION_MANAGER:
        return bool(getattr(model, "scope_station_path", None)) or getattr(model, "scope_public", False)
    return False


def can_add(user, model) -> bool:
    role = role_of(user)
    if role in OPERATOR_ROLES:
        return True
    return role == Role.STATION_MANAGER and _manager_may(user, model, "add")


def can_change(user, obj) -> bool:
    role = role_of(user)
    if role in OPERATOR_ROLES:
        return True
    return role == Role.STATION_MANAGER and _manager_may(user, type(obj), "change", obj)


def can_delete(user, obj) -> bool:
    role = role_of(user)
    if role in OPERATOR_ROLES:
        return True
    return role == Role.STATION_MANAGER and _manager_may(user, type(obj), "delete", obj)


def can_import(user, model) -> bool:
    return role_of(user) in OPERATOR_ROLES


def can_purge(user) -> bool:
    """Only the operator admin removes a soft-deleted ledger record for good."""
    return role_of(user) == Role.OPERATOR_ADMIN


def can_manage_users(user) -> bool:
    """Accounts are handed out by the operator admin alone."""
    return role_of(user) == Role.OPERATOR_ADMIN


def can_sign_off(user) -> bool:
    """Phase acceptances and checklist items are signed off by the client (甲方) alone."""
    return role_of(user) == Role.CLIENT_SUPERVISOR


def can_unlock(user) -> bool:
    """Reopening an accepted (frozen) phase is the operator admin's call alone, with a reason."""
    return role_of(user) == Role.OPERATOR_ADMIN


def can_read_reports(user) -> bool:
    """Reports to the client hold every station's figures: the operator, the client and the
    auditor read them; station managers do not."""
    return role_of(user) in READ_EVERYTHING_ROLES


def can_draft_reports(user) -> bool:
    """The operator's people draft, build, edit and submit reports."""
    return role_of(user) in OPERATOR_ROLES


def can_approve_reports(user) -> bool:
    """A submitted report is approved or returned by the client's supervisor alone."""
    return role_of(user) == Role.CLIENT_SUPERVISOR


def can_see_deleted(user) -> bool:
    return role_of(user) in READ_EVERYTHING_ROLES


def can_read_audit(user) -> bool:
    return role_of(user) in READ_EVERYTHING_ROLES


def sees_full_id(user) -> bool:
    return role_of(user) in FULL_ID_ROLES


def mask_sensitive(value) -> str:
    """How a personal field reads for a role that may not see it: dates keep only the year,
    identifiers their first and last four characters."""
    from muxiang.core.validators import mask_id_number

    if value in (None, ""):
        return ""
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text[:4] + "-**-**"
    return mask_id_number(text)


def get_scoped_or_404(queryset, user, **lookup):
    """Fetch one record the user may read; another station's record is simply not found."""
    try:
        return scope(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
