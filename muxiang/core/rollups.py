"""Stored figures kept in step with the rows they summarise (rollups).

The contract dashboard must answer in under a second over a million records; counting 250,000
attendance rows or probing the evidence of 60,000 sales on every view cannot. So a few figures are
stored beside the records they describe and kept right by every write:

- ``evidence_mask`` on the records whose targets require evidence (``EvidenceMarked``): one bit per
  ``EvidenceKind`` of the live evidence files the record carries (``core.services.with_evidence``
  tests the bits instead of probing ``core_evidence``);
- the apps' own (training: per-session person-times, the day each person was first trained).

A rollup is a function of raw rows, recomputed **per key** (a record, a session, a contract and
person) whenever a write touches a row that feeds that key: never incremented, so that a refresh
after any sequence of writes equals a rebuild from scratch. The writes are caught where they
happen, for every path at once: ``AuditedModel.save`` / ``delete`` (forms, the API, services),
``SoftDeleteQuerySet.update`` / ``bulk_create`` / ``bulk_update`` / ``delete`` (soft delete and
restore, imports' updates, the session facts copied onto attendance, the demo) and
``core.bulk.insert_rows`` (imports' new rows, the benches). A write that bypasses all of these (raw
SQL) must call ``touched`` itself; ``muxiang rollups check`` finds any difference and ``muxiang
rollups rebuild`` recomputes everything.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

# Stored figures, not facts: out of audit snapshots and record pages (a change of a count is no
# change of the record, and the audit entry of an edit would otherwise show it).
DERIVED_FIELDS = {"evidence_mask", "attendance_count", "poor_attendance_count"}


@dataclass(frozen=True)
class Source:
    """Rows of ``model`` (an app label, ``"training.Attendance"``) feed the rollup: ``keys(rows)``
    names the keys that rows (dicts of attribute values, before or after a write) touch. An update
    of none of ``fields`` touches nothing."""

    model: str
    fields: frozenset[str]
    keys: Callable[[list[dict]], set]


@dataclass
class Rollup:
    """``compute(keys)`` gives {key: figures} from the raw rows (every key when ``keys`` is None; a
    key without rows may be left out and then stands for ``zero``); ``stored(keys)`` the same from
    the stored figures; ``store({key: figures}, stored)`` writes them, told what ``stored`` gave for
    those keys (a key absent there has no stored row: it needs an insert, not a delete first)."""

    name: str
    sources: list[Source]
    compute: Callable[[set | None], dict]
    stored: Callable[[set | None], dict]
    store: Callable[[dict, dict], None]
    zero: tuple = (0,)
    label: str = ""

    def refresh(self, keys: set) -> None:
        keys = {k for k in keys if k is not None and (not isinstance(k, tuple) or None not in k)}
        if not keys:
            return
        figures = self.compute(keys)
        stored = self.stored(keys)
        changed = {
            k: figures.get(k, self.zero)
            for k in keys
            if figures.get(k, self.zero) != stored.get(k, self.zero)
        }
        if changed:
            self.store(changed, stored)

    def differences(self) -> dict:
        """{key: (stored, computed)} wherever the stored figures are not the raw rows' (all keys)."""
        figures = self.compute(None)
        stored = self.stored(None)
        return {
            key: (stored.get(key, self.zero), figures.get(key, self.zero))
            for key in set(figures) | set(stored)
            if figures.get(key, self.zero) != stored.get(key, self.zero)
        }

    def rebuild(self) -> int:
        """Store every figure computed from the raw rows; the number of keys corrected."""
        changes = self.differences()
        if changes:
            self.store(
                {key: computed for key, (_stored, computed) in changes.items()},
                {key: before for key, (before, _computed) in changes.items() if before != self.zero},
            )
        return len(changes)


ROLLUPS: dict[str, Rollup] = {}
_SOURCES: dict[str, list[tuple[Rollup, Source]]] = {}


def register(rollup: Rollup) -> Rollup:
    ROLLUPS[rollup.name] = rollup
    for source in rollup.sources:
        _SOURCES.setdefault(source.model, []).append((rollup, source))
    return rollup


def sources_of(model) -> list[tuple[Rollup, Source]]:
    return _SOURCES.get(model._meta.label, [])


def watched_fields(model) -> set[str]:
    """The attributes of ``model`` some rollup reads: what a write hook needs of the rows it touches."""
    names: set[str] = {"id"}
    for _rollup, source in sources_of(model):
        names |= source.fields
    return names


def touched(model, rows: Iterable[dict], changed: Iterable[str] | None = None) -> None:
    """Refresh every rollup that ``rows`` of ``model`` feed (their values before and after a
    write); ``changed`` the attributes written (None: any, as for a new or saved row)."""
    pairs = sources_of(model)
    if not pairs:
        return
    rows = list(rows)
    if not rows:
        return
    changed = None if changed is None else set(changed)
    with transaction.atomic():
        for rollup, source in pairs:
            if changed is not None and not (changed & source.fields):
                continue
            rollup.refresh(source.keys(rows))


def row_of(instance, names: Iterable[str]) -> dict:
    return {name: getattr(instance, name, None) for name in names}


def stored_rows(model, pks: list, names: Iterable[str]) -> list[dict]:
    """The stored values of ``names`` of the rows ``pks`` (soft-deleted ones too), in chunks that
    keep within SQLite's limit on parameters."""
    rows: list[dict] = []
    names = list(names)
    for begin in range(0, len(pks), 5000):
        rows.extend(model._base_manager.filter(pk__in=pks[begin : begin + 5000]).values(*names))
    return rows


def chunked(values: Iterable, size: int = 5000):
    values = list(values)
    for begin in range(0, len(values), size):
        yield values[begin : begin + size]


@dataclass
class Report:
    name: str
    label: str
    differences: dict = field(default_factory=dict)


def check_all() -> list[Report]:
    return [Report(r.name, r.label, r.differences()) for r in ROLLUPS.values()]


@transaction.atomic
def rebuild_all() -> dict[str, int]:
    return {name: rollup.rebuild() for name, rollup in ROLLUPS.items()}


# --- the evidence mark of EvidenceMarked records ---------------------------------------------------


def evidence_masks(evidence_rows) -> dict[int, int]:
    """{record pk: mask} from (object_id, kind) pairs of live evidence."""
    from muxiang.core.choices import EVIDENCE_BITS

    masks: dict[int, int] = {}
    for object_id, kind in evidence_rows:
        masks[object_id] = masks.get(object_id, 0) | EVIDENCE_BITS.get(kind, 0)
    return masks


def evidence_mark_rollup(model) -> Rollup:
    """The ``evidence_mask`` of ``model``'s records, keyed by record pk."""
    from django.contrib.contenttypes.models import ContentType

    def content_type_id() -> int:
        return ContentType.objects.get_for_model(model, for_concrete_model=True).pk

    def files():
        from muxiang.core.models import Evidence

        return Evidence.objects.filter(content_type_id=content_type_id())

    def compute(keys):
        if keys is None:
            # Files of purged records mark nothing: only the records that exist.
            rows = files().filter(object_id__in=model._base_manager.values("pk"))
            return evidence_masks(rows.values_list("object_id", "kind").distinct().iterator())
        masks: dict[int, int] = {}
        for chunk in chunked(keys):
            masks.update(evidence_masks(files().filter(object_id__in=chunk).values_list("object_id", "kind")))
        return masks

    def stored(keys):
        records = model._base_manager.exclude(evidence_mask=0)
        if keys is None:
            return dict(records.values_list("pk", "evidence_mask").iterator())
        found: dict[int, int] = {}
        for chunk in chunked(keys):
            found.update(records.filter(pk__in=chunk).values_list("pk", "evidence_mask"))
        return found

    def store(figures: dict, _stored: dict) -> None:
        by_mask: dict[int, list[int]] = {}
        for pk, mask in figures.items():
            by_mask.setdefault(mask, []).append(pk)
        for mask, pks in by_mask.items():
            for chunk in chunked(pks):
                model._base_manager.filter(pk__in=chunk).update(evidence_mask=mask)

    def evidence_keys(rows):
        wanted = content_type_id()
        return {row.get("object_id") for row in rows if row.get("content_type_id") == wanted}

    return Rollup(
        name=f"evidence_mask:{model._meta.label}",
        label=f"{model._meta.verbose_name}：佐证材料标记",
        sources=[
            Source(
                "core.Evidence",
                frozenset({"content_type_id", "object_id", "kind", "deleted_at"}),
                evidence_keys,
            ),
            # Every save of the record refreshes its own mark: an instance loaded before a file was
            # attached must not write its stale mark back.
            Source(model._meta.label, frozenset({"id"}), lambda rows: {row.get("id") for row in rows}),
        ],
        compute=compute,
        stored=stored,
        store=store,
        zero=0,
    )


def backfill_evidence_masks(apps, app_label: str, model_names: list[str]) -> None:
    """For a data migration adding ``evidence_mask`` to models: mark their existing records."""
    from muxiang.core.choices import EVIDENCE_BITS

    ContentType = apps.get_model("contenttypes", "ContentType")
    Evidence = apps.get_model("core", "Evidence")
    for name in model_names:
        model = apps.get_model(app_label, name)
        content_type = ContentType.objects.filter(app_label=app_label, model=name.lower()).first()
        if content_type is None:
            continue
        masks: dict[int, int] = {}
        rows = Evidence.objects.filter(content_type_id=content_type.pk, deleted_at__isnull=True)
        for object_id, kind in rows.values_list("object_id", "kind").distinct().iterator():
            masks[object_id] = masks.get(object_id, 0) | EVIDENCE_BITS.get(kind, 0)
        by_mask: dict[int, list[int]] = {}
        for pk, mask in masks.items():
            by_mask.setdefault(mask, []).append(pk)
        for mask, pks in by_mask.items():
            for chunk in chunked(pks):
                model.objects.filter(pk__in=chunk).update(evidence_mask=mask)
