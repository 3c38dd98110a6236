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
