"""The trace system's rules: issuing codes in bulk, binding them to a batch (a roll by its first
and last label, or a list), voiding them, recording a batch's events, and what a consumer sees.

Codes are written without model instances (a run of 100,000 is one statement per database round),
with the database refusing a duplicate: two runs issued at the same moment, or the one-in-10²²
chance of drawing a code twice, never give two labels the same code — the refused ones are drawn
again. Everything a code goes through is checked first and then written in one statement, inside
the transaction, so a refusal leaves every code as it was.
"""

import datetime
import os
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.contracts.records import only_contract
from muxiang.core import permissions
from muxiang.core.services import acting_as
from muxiang.trace import codes
from muxiang.trace.choices import CodeState, EventStep
from muxiang.trace.models import Batch, CodeRun, Enterprise, TraceCode, TraceEvent

# One run is one print order; a county's largest is a few hundred thousand labels. The ceiling
# keeps a typo (an extra zero or three) from filling the disk.
MAX_RUN = 2_000_000
# How many codes go to the database per statement.
CHUNK = 250_000
# Codes a binding or voiding lists when it refuses: enough to find them on the roll.
SHOWN = 5


def enterprise_of(producer) -> Enterprise:
    """The enrolment of ``producer`` (an organisation, or already an enrolment)."""
    if isinstance(producer, Enterprise):
        return producer
    enterprise = Enterprise.objects.filter(organisation=producer).first()
    if enterprise is None:
        raise ValidationError(_("%(name)s 尚未入驻溯源体系，请先登记溯源企业") % {"name": producer})
    return enterprise


@transaction.atomic
def issue_trace_codes(
    producer,
    count: int,
    by,
    *,
    product=None,
    issued_on: datetime.date | None = None,
    contract=None,
    notes: str = "",
) -> CodeRun:
    """Issue ``count`` new random codes to ``producer`` as one run, stored in bulk, and return it."""
    if by is not None and not permissions.can_add(by, CodeRun):
        raise PermissionDenied
    if not isinstance(count, int) or count < 1:
        raise ValidationError({"count": _("发码数量应为正整数")})
    if count > MAX_RUN:
        raise ValidationError({"count": _("一次最多发码 %(n)s 个") % {"n": f"{MAX_RUN:,}"}})
    enterprise = enterprise_of(producer)
    contract = contract or enterprise.contract or only_contract()
    if product is not None and product.producer_id and product.producer_id != enterprise.organisation_id:
        raise ValidationError({"product": _("该商品的生产企业不是 %(e)s") % {"e": enterprise}})
    run = CodeRun(
        contract=contract,
        enterprise=enterprise,
        product=product,
        issued_on=issued_on or timezone.localdate(),
        count=count,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        notes=notes,
    )
    run.full_clean(exclude=["contract"] if contract is None else None)
    with acting_as(by):
        run.save()
    store_codes(run, count)
    return run


def store_codes(run: CodeRun, count: int, first_serial: int = 1) -> None:
    """Draw and insert ``count`` codes for ``run`` at serials from ``first_serial``; codes the
    database already holds are skipped and drawn again at the next serials."""
    serial = first_serial
    wanted = count
    while wanted > 0:
        batch = min(wanted, CHUNK)
        drawn = codes.generate(batch)
        inserted = _insert_codes(run.pk, drawn, serial)
        serial += batch
        wanted -= inserted


def _insert_codes(run_id: int, drawn: list[str], first_serial: int) -> int:
    """Insert the codes; a code already present is skipped. Returns how many went in."""
    table = TraceCode._meta.db_table
    columns = "code, run_id, serial, state, scan_count, void_reason, first_scan_place"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One statement for the whole chunk: the codes travel as one JSON array and SQLite
            # numbers them itself (json_each's key is the position), so Python does nothing per
            # code but join the strings. Rows go in serial order: the table and the (run, serial)
            # index are appended to, only the unique index on the random codes is not. (A prepared
            # INSERT run by executemany once per row was 1.9x slower: the statement's per-row
            # overhead, AUTOINCREMENT's bookkeeping, and a random order for one of the indexes.)
            cursor.execute(
                f"INSERT OR IGNORE INTO {table} ({columns}) "
                f"SELECT value, %s, %s + key, 'issued', 0, '', '' FROM json_each(%s)",
                [run_id, first_serial, '["' + '","'.join(drawn) + '"]'],
            )
            return cursor.rowcount
        # PostgreSQL: COPY into a scratch table, then one INSERT … ON CONFLICT DO NOTHING, which
        # also waits for (and then skips) a code a concurrent run is inserting. Sorted by code, so
        # the unique index on the random codes is filled page after page.
        rows = sorted(
            zip(drawn, [run_id] * len(drawn), range(first_serial, first_serial + len(drawn)), strict=True)
        )
        scratch = f"trace_new_codes_{os.urandom(4).hex()}"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {scratch} (code varchar(16), run_id bigint, serial integer) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY {scratch} (code, run_id, serial) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT code, run_id, serial, 'issued', 0, '', '' "
            f"FROM {scratch} ON CONFLICT (code) DO NOTHING"
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {scratch}")
        return inserted


# --------------------------------------------------------------------------------------------------
# Binding and voiding


def _code_text(text: str) -> str:
    code = codes.normalise(text)
    if not codes.is_valid(code):
        raise ValidationError(
            _("「%(c)s」不是有效的溯源码（16 位，校验位不符或含无效字符）") % {"c": text.strip()}
        )
    return code


def _listing(found) -> str:
    shown = "、".join(f"{c.code}（{c.get_state_display()}）" for c in found[:SHOWN])
    return shown + (_(" 等 %(n)s 个") % {"n": len(found)} if len(found) > SHOWN else "")


def resolve_codes(texts: list[str]) -> list[TraceCode]:
    """The codes of a typed or scanned list, each checked: unknown or mistyped ones are named."""
    wanted = []
    for text in texts:
        if text.strip():
            code = _code_text(text)
            if code not in wanted:
                wanted.append(code)
    if not wanted:
        raise ValidationError(_("请至少输入一个溯源码"))
    found = {c.code: c for c in TraceCode.objects.filter(code__in=wanted).select_related("run")}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError(
            _("以下溯源码不存在：%(codes)s")
            % {"codes": "、".join(missing[:SHOWN]) + ("…" if len(missing) > SHOWN else "")}
        )
    return [found[c] for c in wanted]


def _check_run(found: list[TraceCode], run: CodeRun | None) -> None:
    """Acting on a run's page: every code must be of that run (a code of the producer's other run
    typed by mistake would otherwise be bound or voided with it)."""
    if run is None:
        return
    strangers = [c for c in found if c.run_id != run.pk]
    if strangers:
        raise ValidationError(
            _("溯源码 %(codes)s 不属于本发码记录（%(run)s），未做任何操作")
            % {
                "codes": "、".join(c.code for c in strangers[:SHOWN])
                + (_(" 等 %(n)s 个") % {"n": len(strangers)} if len(strangers) > SHOWN else ""),
                "run": run,
            }
        )


def codes_in_range(first_text: str, last_text: str, run: CodeRun | None = None):
    """The codes of one roll, from its first to its last label (either end first) in issue order;
    with ``run``, both ends must be of it."""
    first, last = resolve_codes([first_text]), resolve_codes([last_text])
    first, last = first[0], last[0]
    _check_run([first, last], run)
    if first.run_id != last.run_id:
        raise ValidationError(_("首尾两个溯源码不属于同一发码记录，不能按区间绑定"))
    low, high = sorted((first.serial, last.serial))
    return TraceCode.objects.filter(run_id=first.run_id, serial__gte=low, serial__lte=high), first.run


def _check_same_producer(runs, batch: Batch) -> None:
    for run in runs:
        if run.enterprise_id != batch.enterprise_id:
            raise ValidationError(
                _("溯源码属于 %(a)s，不能绑定到 %(b)s 的批次") % {"a": run.enterprise, "b": batch.enterprise}
            )


def _codes_changed() -> None:
    """Codes changed state: the public page's cached data of every code is out of use."""
    from muxiang.trace.scans import bump_generation

    bump_generation()


def _bind(queryset, batch: Batch, by, label: str) -> int:
    if batch.deleted_at:
        raise ValidationError(_("批次已删除，不能绑定"))
    taken = list(queryset.exclude(state=CodeState.ISSUED).order_by("serial")[: SHOWN + 1])
    if taken:
        total = queryset.exclude(state=CodeState.ISSUED).count()
        raise ValidationError(
            _("有 %(n)s 个溯源码已绑定或已作废，未做任何绑定：%(codes)s")
            % {"n": total, "codes": _listing(taken)}
        )
    now = timezone.now()
    bound = queryset.filter(state=CodeState.ISSUED).update(state=CodeState.BOUND, batch=batch, bound_at=now)
    if bound == 0:
        raise ValidationError(_("没有可绑定的溯源码"))
    transaction.on_commit(_codes_changed)
    with acting_as(by):
        TraceEvent.objects.create(
            batch=batch,
            step=EventStep.PACKING,
            occurred_at=now,
            place=batch.base.name if batch.base_id else str(batch.enterprise),
            description=_("绑定溯源码 %(n)s 个（%(label)s）") % {"n": f"{bound:,}", "label": label},
            is_public=False,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
    return bound


@transaction.atomic
def bind_code_range(first: str, last: str, batch: Batch, by, *, run: CodeRun | None = None) -> int:
    """Bind a roll of labels, from its first to its last code, to ``batch``. Refused as a whole if
    any code of the range is already bound or voided, or (with ``run``) of another run. Returns how
    many were bound."""
    queryset, run = codes_in_range(first, last, run)
    _check_same_producer([run], batch)
    queryset = queryset.select_for_update() if connection.vendor == "postgresql" else queryset
    return _bind(queryset, batch, by, f"{codes.normalise(first)} … {codes.normalise(last)}")


@transaction.atomic
def bind_codes(texts: list[str], batch: Batch, by, *, run: CodeRun | None = None) -> int:
    """Bind the listed codes to ``batch``; refused as a whole if any is bound or voided, or (with
    ``run``) of another run."""
    found = resolve_codes(texts)
    _check_run(found, run)
    _check_same_producer({c.run_id: c.run for c in found}.values(), batch)
    queryset = TraceCode.objects.filter(pk__in=[c.pk for c in found])
    return _bind(queryset, batch, by, _("清单 %(n)s 个") % {"n": len(found)})


@transaction.atomic
def void_codes(
    texts: list[str], reason: str, by, *, last: str | None = None, run: CodeRun | None = None
) -> int:
    """Void codes (damaged labels, a recalled batch): the listed ones, or with ``last`` the range
    from ``texts[0]`` to it. A voided code's page says so. Refused if any is voided already, or
    (with ``run``) of another run."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写作废原因")})
    if last:
        queryset, _run = codes_in_range(texts[0], last, run)
    else:
        found = resolve_codes(texts)
        _check_run(found, run)
        queryset = TraceCode.objects.filter(pk__in=[c.pk for c in found])
    voided = list(queryset.filter(state=CodeState.VOIDED).order_by("serial")[: SHOWN + 1])
    if voided:
        raise ValidationError(_("以下溯源码已作废，未做任何作废：%(codes)s") % {"codes": _listing(voided)})
    transaction.on_commit(_codes_changed)
    return queryset.update(state=CodeState.VOIDED, voided_at=timezone.now(), void_reason=reason[:200])


@transaction.atomic
def record_trace_event(
    batch: Batch, step: str, occurred_at, place: str, by, description: str = ""
) -> TraceEvent:
    """Add a step to a batch's way, recording who recorded it."""
    event = TraceEvent(
        batch=batch,
        step=step,
        occurred_at=occurred_at,
        place=place,
        description=description,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    event.full_clean()
    with acting_as(by):
        event.save()
    return event


def next_serial(run: CodeRun) -> int:
    return (TraceCode.objects.filter(run=run).aggregate(m=Max("serial"))["m"] or 0) + 1


# --------------------------------------------------------------------------------------------------
# What a consumer sees


@dataclass
class PublicStory:
    """A batch as a consumer sees it: nothing of the operator's ledgers but these fields."""

    product: str
    specification: str
    producer: str
    enterprise_brand: str
    regional_brand: str
    introduction: str
    origin: str
    region: str
    date_label: str
    produced_on: datetime.date
    lot: str
    story: str
    certificates: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    photos: list[int] = field(default_factory=list)


def public_story(batch_id: int) -> PublicStory:
    from muxiang.core.services import evidence_for

    batch = Batch.objects.select_related("product", "enterprise__organisation", "base__region").get(
        pk=batch_id
    )
    base = batch.base
    return PublicStory(
        product=batch.product.name,
        specification=batch.product.specification,
        producer=batch.enterprise.organisation.name,
        enterprise_brand=batch.enterprise.enterprise_brand,
        regional_brand=batch.enterprise.regional_brand,
        introduction=batch.enterprise.introduction,
        origin=base.name if base else "",
        region=str(base.region.name) if base and base.region_id else "",
        date_label=batch.get_kind_display() + _("日期"),
        produced_on=batch.produced_on,
        lot=batch.lot,
        story=batch.story,
        certificates=[
            {
                "kind": c.get_kind_display(),
                "issuer": c.issuer,
                "issued_on": c.issued_on,
                "passed": c.passed,
                "items": c.items,
            }
            for c in batch.certificates.all()
        ],
        events=[
            {
                "step": e.get_step_display(),
                "at": timezone.localtime(e.occurred_at),
                "place": e.place,
                "description": e.description,
            }
            for e in batch.events.filter(is_public=True)
        ],
        photos=list(evidence_for(batch).filter(kind="photo").values_list("pk", flat=True)[:4]),
    )


# --------------------------------------------------------------------------------------------------
# Scans


@dataclass
class ScanResult:
    outcome: str
    code: TraceCode | None
    scan_count: int = 0
    first_scanned_at: datetime.datetime | None = None
    first_scan_place: str = ""


def record_scan(
    asked: str,
    *,
    place: str = "",
    client: str = "",
    user_agent: str = "",
    now=None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> ScanResult:
    """Log one scan of ``asked`` and count it on the code at once (the demo data, a back office
    tool): the public page queues its scans instead (``scans.queue_scan``), and both are stored by
    ``scans.store_scans``, counters raised in the database and the anomaly rules applied."""
    from muxiang.trace import scans

    now = now or timezone.now()
    text, valid = scans.canonical(asked)
    code = TraceCode.objects.filter(code=text).first() if valid else None
    data = None
    if code is not None:
        data = scans.CodeData(code.pk, code.state, code.batch_id, 0, None, "")
    outcome = scans.outcome_of(data)
    scans.store_scans(
        [
            scans.QueuedScan(
                text, code.pk if code else None, outcome, now, place, client, user_agent, latitude, longitude
            )
        ]
    )
    result = ScanResult(outcome=outcome, code=code)
    if code is not None:
        code.refresh_from_db(fields=["scan_count", "first_scanned_at", "first_scan_place"])
        result.scan_count = code.scan_count
        result.first_scanned_at, result.first_scan_place = code.first_scanned_at, code.first_scan_place
    return result
