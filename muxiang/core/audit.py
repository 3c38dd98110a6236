"""The audit trail: who changed what, when, from which request, with the values before and after.

Every save and delete of an ``AuditedModel`` writes an ``ObjectChange``; bulk writes (imports) write
theirs in bulk through ``record_changes``. The acting user and request come from a context variable
that the request middleware, the API authentication and management commands set.
"""

import contextlib
import contextvars
import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.db import models
from django.db.models.fields.files import FieldFile

from muxiang.core.rollups import DERIVED_FIELDS


@dataclass
class ChangeContext:
    user: object | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    remote_addr: str | None = None
    source: str = "system"


_context: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar(
    "muxiang_change", default=None
)


def current_context() -> ChangeContext:
    return _context.get() or ChangeContext()


@contextlib.contextmanager
def change_context(user=None, source: str = "system", remote_addr: str | None = None):
    token = _context.set(ChangeContext(user=user, source=source, remote_addr=remote_addr))
    try:
        yield _context.get()
    finally:
        _context.reset(token)


def set_context_user(user) -> None:
    """The API authenticates inside the view, after the middleware opened the context."""
    ctx = _context.get()
    if ctx is not None:
        ctx.user = user


def to_json(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        # Not hasattr(value, "url"): an empty FieldFile raises ValueError there, not AttributeError.
        return value.name or None
    return value


# The timestamps, and the stored figures (``core.rollups.DERIVED_FIELDS``) that are no facts of the
# record: a refreshed count is no change of it.
AUDIT_SKIP = {"created_at", "updated_at", *DERIVED_FIELDS}


def snapshot(instance: models.Model) -> dict:
    """The audited field values of ``instance`` as JSON-ready data, keyed by attribute name."""
    return {
        f.attname: to_json(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.attname not in AUDIT_SKIP
    }


def diff(before: dict | None, after: dict | None) -> dict:
    """Only the keys whose values differ: what the history page shows."""
    before, after = before or {}, after or {}
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: (before.get(k), after.get(k)) for k in keys}


def build_change(instance, action: str, before: dict | None, after: dict | None, message: str = ""):
    from muxiang.core.models import ObjectChange

    ctx = current_context()
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    return ObjectChange(
        user=user,
        user_name=user.get_username() if user else ctx.source,
        request_id=ctx.request_id,
        remote_addr=ctx.remote_addr,
        source=ctx.source,
        action=action,
        content_type_id=_content_type_id(type(instance)),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        message=message,
    )


def record_change(instance, action: str, before: dict | None, after: dict | None, message: str = ""):
    change = build_change(instance, action, before, after, message)
    change.save()
    return change


def record_changes(changes: list) -> None:
    from muxiang.core.models import ObjectChange

    ObjectChange.objects.bulk_create(changes, batch_size=2000)


def _content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=True).pk
