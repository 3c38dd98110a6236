"""The rules of the supply chain, each in one place: centralised purchases and their receipts,
unified deliveries, transfers, inventory counts, reversals and the stock check they all share.

Every stock effect goes through ``post_movements``: it takes the lock rows of the (stock point,
product) pairs it touches (``StockLock``, SELECT … FOR UPDATE, in a fixed order so that two
postings never wait for each other in a circle), reads the pairs' daily balances from the posting
date on, and refuses — writing nothing — when the balance of that day or of any later day would
fall below zero. A back-dated delivery is thus checked against the deliveries already posted after
it, and of two deliveries posted at the same moment the second sees the first.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core import permissions
from muxiang.core.services import acting_as, soft_delete_record
from muxiang.supply.choices import MovementKind
from muxiang.supply.models import (
    Delivery,
    DeliveryLine,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    StockCount,
    StockCountLine,
    StockLock,
    StockMovement,
    Warehouse,
    format_quantity,
)

ZERO = Decimal("0")


def line_error(message: str, **where) -> ValidationError:
    """A refusal about one line of a document. ``where`` says which (``product`` id, or the order
    line's ``position``), so that a spreadsheet import can name the row; forms and the API read only
    the message."""
    error = ValidationError(message)
    error.where = where
    return error


# ---------------------------------------------------------------------------------------------------
# The stock ledger


@dataclass
class Posting:
    """A movement about to be posted."""

    warehouse: Warehouse
    product: Product
    day: datetime.date
    quantity: Decimal
    kind: str
    receipt_line: ReceiptLine | None = None
    delivery_line: DeliveryLine | None = None
    count_line: StockCountLine | None = None
    transfer_id: uuid.UUID | None = None
    reverses: StockMovement | None = None
    note: str = ""


def lock_stock(pairs: Iterable[tuple[int, int]]) -> None:
    """Take the lock rows of the (warehouse id, product id) pairs, creating the missing ones, in
    one order for every caller."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    # A concurrent creator of the same row makes this insert wait for its commit, then skip.
    StockLock.objects.bulk_create(
        [StockLock(warehouse_id=w, product_id=p) for w, p in pairs], ignore_conflicts=True
    )
    wanted = Q(pk__in=[])
    for warehouse_id, product_id in pairs:
        wanted |= Q(warehouse_id=warehouse_id, product_id=product_id)
    list(
        StockLock.objects.select_for_update()
        .filter(wanted)
        .order_by("warehouse_id", "product_id")
        .values_list("pk", flat=True)
    )


def balance_on(warehouse, product, day: datetime.date) -> Decimal:
    """The stock of ``product`` at ``warehouse`` at the end of ``day``."""
    total = StockMovement.objects.filter(warehouse=warehouse, product=product, day__lte=day).aggregate(
        total=Sum("quantity")
    )["total"]
    return total or ZERO


def _daily_from(warehouse_id: int, product_id: int, since: datetime.date) -> tuple[Decimal, list]:
    """The balance before ``since`` and the net movement of each later day with movements."""
    movements = StockMovement.objects.filter(warehouse_id=warehouse_id, product_id=product_id)
    before = movements.filter(day__lt=since).aggregate(total=Sum("quantity"))["total"] or ZERO
    later = list(
        movements.filter(day__gte=since)
        .values("day")
        .annotate(net=Sum("quantity"))
        .order_by("day")
        .values_list("day", "net")
    )
    return before, later


def available_on(warehouse, product, day: datetime.date) -> Decimal:
    """How much of ``product`` can leave ``warehouse`` on ``day`` without any balance from that day
    on falling below zero: the lowest balance of that day and every later day."""
    before, later = _daily_from(warehouse.pk, product.pk, day)
    running = before
    # The balance of ``day`` itself is ``before`` unless ``day`` has movements of its own.
    lowest = before if not later or later[0][0] != day else None
    for _day, net in later:
        running += net
        lowest = running if lowest is None else min(lowest, running)
    return max(lowest, ZERO)


def _shortage(warehouse, product, postings: list[Posting]) -> str | None:
    """Why ``postings`` (of one warehouse and product) would take a balance below zero, or None."""
    if all(p.quantity > 0 for p in postings):
        return None
    first = min(p.day for p in postings)
    before, later = _daily_from(warehouse.pk, product.pk, first)
    net = defaultdict(Decimal, dict(later))
    for posting in postings:
        net[posting.day] += posting.quantity
    running = before
    for day in sorted(net):
        running += net[day]
        if running < 0:
            outgoing = [p for p in postings if p.quantity < 0]
            day_out = min(p.day for p in outgoing)
            requested = -sum(p.quantity for p in outgoing)
            return _(
                "库存不足：「%(product)s」在「%(warehouse)s」%(day)s 的可用数量为 %(available)s%(unit)s"
                "（已扣除此后已记账的出库），本次需出库 %(requested)s%(unit)s；未做任何记账"
            ) % {
                "product": product,
                "warehouse": warehouse,
                "day": day_out.isoformat(),
                "available": format_quantity(available_on(warehouse, product, day_out)),
                "requested": format_quantity(requested),
                "unit": product.unit,
            }
    return None


@transaction.atomic
def post_movements(postings: list[Posting], by) -> list[StockMovement]:
    """Write ``postings`` to the stock ledger, all or none: refused with a message naming the
    product, stock point, date and available quantity when a balance would go negative."""
    if not postings:
        return []
    for posting in postings:
        if not posting.quantity:
            raise ValidationError(_("数量不能为 0：%(p)s") % {"p": posting.product})
    groups: dict[tuple[int, int], list[Posting]] = defaultdict(list)
    for posting in postings:
        groups[(posting.warehouse.pk, posting.product.pk)].append(posting)
    lock_stock(groups)
    problems = [
        line_error(message, product=key[1])
        for key in sorted(groups)
        if (message := _shortage(groups[key][0].warehouse, groups[key][0].product, groups[key]))
    ]
    if problems:
        raise ValidationError(problems)
    movements = []
    with acting_as(by):
        for posting in postings:
            movement = StockMovement(
                warehouse=posting.warehouse,
                product=posting.product,
                day=posting.day,
                quantity=posting.quantity,
                kind=posting.kind,
                receipt_line=posting.receipt_line,
                delivery_line=posting.delivery_line,
                count_line=posting.count_line,
                transfer_id=posting.transfer_id,
                reverses=posting.reverses,
                note=posting.note[:200],
                posted_by=by if getattr(by, "is_authenticated", False) else None,
            )
            movement.save()
            movements.append(movement)
    return movements


def _not_in_future(day: datetime.date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(l)s不能晚于今天：%(d)s") % {"l": label, "d": day.isoformat()})


def _check_record(record) -> None:
    try:
        record.full_clean(exclude=["number"])
    except ValidationError as exc:
        raise ValidationError(exc.messages) from exc


def _positive(quantity, what: str) -> Decimal:
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError(_("%(w)s的数量应大于 0：%(q)s") % {"w": what, "q": format_quantity(quantity)})
    return quantity


# ---------------------------------------------------------------------------------------------------
# Centralised purchasing


@transaction.atomic
def create_purchase_order(
    contract, supplier, warehouse, ordered_on, lines: list[tuple], by, expected_on=None, notes="", number=""
) -> PurchaseOrder:
    """A centralised purchase gathering several businesses' needs: ``lines`` are
    (product, client organisation, quantity, unit price or None), numbered in order."""
    if not lines:
        raise ValidationError(_("采购单至少需要一行明细"))
    order = PurchaseOrder(
        contract=contract,
        supplier=supplier,
        warehouse=warehouse,
        ordered_on=ordered_on,
        expected_on=expected_on,
        notes=notes,
        number=number,
    )
    _check_record(order)
    for position, (product, client, quantity, _price) in enumerate(lines, start=1):
        _positive(quantity, _("第 %(n)d 行「%(p)s」（%(c)s）") % {"n": position, "p": product, "c": client})
    with acting_as(by):
        order.save()
        for position, (product, client, quantity, price) in enumerate(lines, start=1):
            PurchaseOrderLine(
                order=order,
                position=position,
                product=product,
                client=client,
                quantity=quantity,
                unit_price=price,
            ).save()
    return order


def received_by_line(order) -> dict[int, Decimal]:
    """What has arrived of each line of ``order`` (by line id), cancelled receipts left out."""
    return dict(
        ReceiptLine.objects.filter(order_line__order=order, receipt__deleted_at__isnull=True)
        .values("order_line")
        .annotate(total=Sum("quantity"))
        .values_list("order_line", "total")
    )


@transaction.atomic
def record_receipt(
    order, received_on: datetime.date, quantities: dict[int, Decimal], by, received_by="", notes="", number=""
) -> Receipt:
    """Goods of ``order`` arrived at its stock point: ``quantities`` maps a line's number (行号) to
    what arrived of it. Partial receipts are fine; a line may not receive more than it ordered,
    counting the earlier receipts. Refused with every problem named, nothing written."""
    # Two receipts of one order at once must see each other's quantities.
    order = PurchaseOrder.objects.select_for_update().select_related("warehouse").get(pk=order.pk)
    lines = {line.position: line for line in order.lines.select_related("product", "client")}
    received = received_by_line(order)
    problems = []
    wanted = {}
    if not quantities:
        problems.append(_("请填写到货明细（行号和数量）"))
    for position, quantity in sorted(quantities.items()):
        line = lines.get(position)
        if line is None:
            problems.append(
                line_error(
                    _("采购单 %(o)s 没有第 %(n)s 行") % {"o": order.number, "n": position}, position=position
                )
            )
            continue
        quantity = Decimal(quantity)
        before = received.get(line.pk, ZERO)
        left = line.quantity - before
        if quantity <= 0:
            problems.append(
                line_error(_("第 %(n)d 行的到货数量应大于 0") % {"n": position}, position=position)
            )
        elif quantity > left:
            problems.append(
                line_error(
                    _(
                        "到货超过采购数量：第 %(n)d 行「%(p)s」（%(c)s）采购 %(o)s%(u)s，已到货 %(r)s%(u)s，"
                        "最多还可到货 %(left)s%(u)s，本次填写 %(q)s%(u)s"
                    )
                    % {
                        "n": position,
                        "p": line.product,
                        "c": line.client,
                        "o": format_quantity(line.quantity),
                        "r": format_quantity(before),
                        "left": format_quantity(left),
                        "q": format_quantity(quantity),
                        "u": line.product.unit,
                    },
                    position=position,
                )
            )
        else:
            wanted[position] = (line, quantity)
    if received_on < order.ordered_on:
        problems.append(
            _("到货日期 %(d)s 早于下单日期 %(o)s")
            % {"d": received_on.isoformat(), "o": order.ordered_on.isoformat()}
        )
    receipt = Receipt(
        contract_id=order.contract_id,
        order=order,
        received_on=received_on,
        received_by=received_by,
        notes=notes,
        number=number,
    )
    try:
        _check_record(receipt)
    except ValidationError as exc:
        problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    with acting_as(by):
        receipt.save()
        postings = []
        for line, quantity in wanted.values():
            receipt_line = ReceiptLine(receipt=receipt, order_line=line, quantity=quantity)
            receipt_line.save()
            postings.append(
                Posting(
                    order.warehouse,
                    line.product,
                    received_on,
                    quantity,
                    MovementKind.RECEIPT,
                    receipt_line=receipt_line,
                )
            )
    post_movements(postings, by)
    return receipt


def outstanding_lines(order) -> dict[int, Decimal]:
    """What each line of ``order`` still waits for (by line number), lines complete left out."""
    received = received_by_line(order)
    return {
        line.position: line.quantity - received.get(line.pk, ZERO)
        for line in order.lines.all()
        if line.quantity > received.get(line.pk, ZERO)
    }


# ---------------------------------------------------------------------------------------------------
# Unified distribution


@transaction.atomic
def record_delivery(
    contract,
    warehouse,
    delivered_on: datetime.date,
    lines: list[tuple],
    by,
    client=None,
    to_station=None,
    route="",
    receiver_name="",
    notes="",
    number="",
) -> Delivery:
    """Goods leave ``warehouse`` for a client business or a station: ``lines`` are (product,
    quantity). Refused, nothing written, when a product is not in stock on that day or when the
    delivery would take a later day's balance below zero."""
    if not lines:
        raise ValidationError(_("配送单至少需要一行明细"))
    delivery = Delivery(
        contract=contract,
        warehouse=warehouse,
        client=client,
        to_station=to_station,
        delivered_on=delivered_on,
        route=route,
        receiver_name=receiver_name,
        notes=notes,
        number=number,
    )
    _check_record(delivery)
    for product, quantity in lines:
        _positive(quantity, _("「%(p)s」") % {"p": product})
    with acting_as(by):
        delivery.save()
        postings = []
        for product, quantity in lines:
            line = DeliveryLine(delivery=delivery, product=product, quantity=quantity)
            line.save()
            postings.append(
                Posting(
                    warehouse,
                    product,
                    delivered_on,
                    -Decimal(quantity),
                    MovementKind.DELIVERY,
                    delivery_line=line,
                )
            )
    post_movements(postings, by)
    return delivery


@transaction.atomic
def transfer_stock(product, source, target, quantity, day: datetime.date, by, note="") -> list[StockMovement]:
    """Move stock between two stock points (the county warehouse to a station's, say): one
    movement out and one in, the same day, sharing a transfer id."""
    if source.pk == target.pk:
        raise ValidationError(_("调出和调入的库存点不能相同"))
    quantity = _positive(quantity, _("调拨"))
    _not_in_future(day, _("调拨日期"))
    transfer = uuid.uuid4()
    return post_movements(
        [
            Posting(
                source, product, day, -quantity, MovementKind.TRANSFER_OUT, transfer_id=transfer, note=note
            ),
            Posting(
                target, product, day, quantity, MovementKind.TRANSFER_IN, transfer_id=transfer, note=note
            ),
        ],
        by,
    )


# ---------------------------------------------------------------------------------------------------
# Inventory counts


@transaction.atomic
def record_stock_count(
    contract,
    warehouse,
    counted_on: datetime.date,
    counts: list[tuple],
    by,
    counted_by="",
    notes="",
    number="",
) -> StockCount:
    """An inventory count: ``counts`` are (product, quantity found). Each product's book balance
    of that day is kept on the line and the difference posted as an adjustment; a count that would
    leave a later day negative (later deliveries relied on the book figure) is refused."""
    if not counts:
        raise ValidationError(_("盘点单至少需要一行明细"))
    seen = set()
    for product, quantity in counts:
        if product.pk in seen:
            raise ValidationError(_("同一商品在盘点单中只能出现一次：%(p)s") % {"p": product})
        seen.add(product.pk)
        if Decimal(quantity) < 0:
            raise ValidationError(_("实盘数量不能为负：%(p)s") % {"p": product})
    count = StockCount(
        contract=contract,
        warehouse=warehouse,
        counted_on=counted_on,
        counted_by=counted_by,
        notes=notes,
        number=number,
    )
    _check_record(count)
    # The book figures must be the ones the adjustments are computed from: lock first.
    lock_stock((warehouse.pk, product.pk) for product, _quantity in counts)
    postings = []
    with acting_as(by):
        count.save()
        for product, quantity in counts:
            book = balance_on(warehouse, product, counted_on)
            line = StockCountLine(count=count, product=product, book_quantity=book, counted_quantity=quantity)
            line.save()
            if line.difference:
                postings.append(
                    Posting(
                        warehouse,
                        product,
                        counted_on,
                        line.difference,
                        MovementKind.ADJUSTMENT,
                        count_line=line,
                    )
                )
    post_movements(postings, by)
    return count


# ---------------------------------------------------------------------------------------------------
# Corrections


@transaction.atomic
def reverse_movement(movement, by, note="", day: datetime.date | None = None) -> StockMovement:
    """Cancel ``movement`` with a new one of the opposite sign, dated like it unless ``day`` is
    given. A reversal is not reversed again, and a movement is reversed once."""
    if not permissions.can_change(by, movement):
        raise PermissionDenied(_("您没有冲销库存流水的权限"))
    movement = StockMovement.objects.select_related("warehouse", "product").get(pk=movement.pk)
    if movement.kind == MovementKind.REVERSAL:
        raise ValidationError(_("冲销记录不能再次冲销，如需更正请重新记账"))
    if StockMovement.objects.filter(reverses=movement).exists():
        raise ValidationError(_("该流水已冲销"))
    day = day or movement.day
    if day < movement.day:
        raise ValidationError(_("冲销日期不能早于原流水的记账日期 %(d)s") % {"d": movement.day.isoformat()})
    (reversal,) = post_movements(
        [
            Posting(
                movement.warehouse,
                movement.product,
                day,
                -movement.quantity,
                MovementKind.REVERSAL,
                reverses=movement,
                note=note or _("冲销：%(m)s") % {"m": movement},
            )
        ],
        by,
    )
    return reversal


@transaction.atomic
def cancel_document(document, by, reason="") -> list[StockMovement]:
    """作废 a receipt, delivery or count: reverse each of its movements not yet reversed (on their
    own dates, checked like any posting) and delete the document (restorable no more)."""
    if not permissions.can_delete(by, document):
        raise PermissionDenied(_("您没有作废此单据的权限"))
    type(document).all_objects.select_for_update().filter(pk=document.pk).first()
    document.refresh_from_db()
    if document.deleted_at:
        raise ValidationError(_("该单据已作废"))
    problem = document.frozen_problem()
    if problem:
        raise ValidationError(problem)
    note = (_("作废 %(d)s") % {"d": document.number}) + (f"：{reason}" if reason else "")
    open_movements = list(
        document.movements().filter(reversal__isnull=True).select_related("warehouse", "product")
    )
    reversals = post_movements(
        [
            Posting(m.warehouse, m.product, m.day, -m.quantity, MovementKind.REVERSAL, reverses=m, note=note)
            for m in open_movements
        ],
        by,
    )
    soft_delete_record(document, by)
    return reversals


# ---------------------------------------------------------------------------------------------------
# Balances


@dataclass
class Balance:
    product: Product
    quantity: Decimal


def balances(warehouse, as_of: datetime.date, include_zero: bool = False) -> list[Balance]:
    """The stock of every product at ``warehouse`` at the end of ``as_of``, summed from the
    movements by the database (one aggregate query and one for the products)."""
    rows = (
        StockMovement.objects.filter(warehouse=warehouse, day__lte=as_of)
        .values("product")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    totals = {row["product"]: row["total"] for row in rows}
    products = Product.all_objects.in_bulk(list(totals))
    result = [Balance(products[pk], total) for pk, total in totals.items() if include_zero or total != 0]
    return sorted(result, key=lambda b: b.product.code)


def negative_balance_days(
    warehouse_ids: Iterable[int] | None = None,
) -> list[tuple[int, int, datetime.date, Decimal]]:
    """Every (warehouse, product, day) whose end-of-day balance is below zero: what the stock
    rule forbids, so this is empty. The running sums come from one window query."""
    movements = StockMovement.objects.all()
    if warehouse_ids is not None:
        movements = movements.filter(warehouse_id__in=list(warehouse_ids))
    # A RANGE frame (the default with ORDER BY) sums all the movements of a day together: the
    # balance at the end of each day.
    running = movements.annotate(
        balance=Window(
            Sum("quantity"),
            partition_by=[F("warehouse_id"), F("product_id")],
            order_by=F("day").asc(),
        )
    ).values_list("warehouse_id", "product_id", "day", "balance")
    return sorted({row for row in running.filter(balance__lt=0)})
