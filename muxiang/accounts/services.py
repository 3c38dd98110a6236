"""Account services: API tokens and the operator admin created on a fresh installation."""

import secrets

from django.db import transaction
from django.utils import timezone

from muxiang.accounts.models import ApiToken, User, hash_token
from muxiang.core.permissions import Role


@transaction.atomic
def issue_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key, which is never stored."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100] or "API", prefix=raw[3:9], key_hash=hash_token(raw)
    )
    return token, raw


def revoke_api_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate_api_token(raw: str) -> User | None:
    if not raw:
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    # Avoid a write per request: the last-used time only needs minute precision.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def ensure_operator_admin(username: str = "admin") -> str | None:
    """Create the operator admin if there is none; return the generated password (shown once)."""
    if User.objects.filter(role=Role.OPERATOR_ADMIN).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_user(
        username=username,
        password=password,
        role=Role.OPERATOR_ADMIN,
        full_name="运营方管理员",
        is_staff=True,
        is_superuser=True,
    )
    return password


ACCOUNT_FIELDS = ("username", "full_name", "phone", "role", "station_id", "is_active")


def _account_snapshot(user: User) -> dict:
    return {name: getattr(user, name) for name in ACCOUNT_FIELDS}


@transaction.atomic
def create_user_account(
    *, username: str, full_name: str, phone: str, role: str, station, by
) -> tuple[User, str]:
    """Create a login for someone; return it with a generated password to hand over once."""
    from muxiang.core import audit
    from muxiang.core.choices import ChangeAction

    password = secrets.token_urlsafe(9)
    user = User(username=username, full_name=full_name, phone=phone, role=role, station=station)
    user.full_clean(exclude=["password"])
    user.set_password(password)
    user.save()
    audit.record_change(user, ChangeAction.CREATE, None, _account_snapshot(user))
    return user, password


@transaction.atomic
def update_user_account(user: User, changes: dict, by) -> User:
    from muxiang.core import audit
    from muxiang.core.choices import ChangeAction

    before = _account_snapshot(User.objects.get(pk=user.pk))
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    after = _account_snapshot(user)
    if before != after:
        audit.record_change(user, ChangeAction.UPDATE, before, after)
    return user


@transaction.atomic
def reset_user_password(user: User, by) -> str:
    from muxiang.core import audit
    from muxiang.core.choices import ChangeAction

    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record_change(user, ChangeAction.UPDATE, None, None, message="重置密码")
    return password
