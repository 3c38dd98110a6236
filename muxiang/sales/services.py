"""The rules of the sales ledger and the rural product census, each in one place: the models'
``clean()``, the ledgers' ``clean_row``, the API and the demo ask these functions, so a sale
refused on the page is refused in an imported order export too.

The ``*_problem(s)`` functions take plain values and return Chinese messages of what is wrong.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.core.choices import EVIDENCE_BITS, EvidenceKind
from muxiang.core.numbering import next_number
from muxiang.sales.choices import ONLINE_CHANNELS, SaleMode, SalesChannel
from muxiang.sales.models import MANUAL_SOURCE, CensusEntry, ProductCensus, Sale

# ---------------------------------------------------------------------------------------------------
# Sales


def default_mode(channel: str) -> str:
    """Online for the e-commerce, group-buying and social-media channels, offline otherwise."""
    return SaleMode.ONLINE if channel in ONLINE_CHANNELS else SaleMode.OFFLINE


def amount_problem(amount) -> str | None:
    if amount is None:
        return None  # the missing field has its own message
    if amount < 0:
        return _("金额不能为负数：%(v)s（退款请删除或修改原订单）") % {"v": amount}
    if amount == 0:
        return _("金额应大于 0")
    return None


def order_taken_problem(source: str, order_number: str, exclude=None) -> str | None:
    if not order_number:
        return None
    other = Sale.all_objects.filter(source=source, order_number=order_number)
    if exclude is not None:
        other = other.exclude(pk=exclude)
    found = other.first()
    if found is None:
        return None
    if found.deleted_at:
        return _("订单「%(s)s %(n)s」已登记在已删除的记录中，请先在回收站恢复") % {
            "s": source,
            "n": order_number,
        }
    return _("订单「%(s)s %(n)s」已登记，同一订单不能重复计入") % {"s": source, "n": order_number}


def sale_problems(amount, channel, mode, source, order_number, exclude=None) -> dict[str, str]:
    problems = {}
    problem = amount_problem(amount)
    if problem:
        problems["amount"] = problem
    problem = order_taken_problem(source, order_number, exclude)
    if problem:
        problems["order_number"] = problem
    return problems


def next_order_number(source: str, day: datetime.date | None) -> str:
    """The next free number of a typed-in sale for the month of ``day``: ``XS-202603-001`` …
    (``core.numbering``: deleted sales keep their numbers)."""
    stem = f"XS-{(day or timezone.localdate()):%Y%m}-"
    return next_number(Sale.all_objects.filter(source=source), "order_number", stem)


def record_sale(
    *,
    contract,
    sold_on: datetime.date,
    seller,
    product,
    quantity,
    amount,
    channel: str,
    mode: str = "",
    source: str = MANUAL_SOURCE,
    order_number: str = "",
    **extra,
) -> Sale:
    """Record one sale after every rule (the phase freeze, a positive amount, an order counted
    once); raises ``ValidationError`` naming the field otherwise, and writes nothing."""
    sale = Sale(
        contract=contract,
        sold_on=sold_on,
        seller=seller,
        product=product,
        quantity=Decimal(str(quantity)),
        amount=Decimal(str(amount)),
        channel=channel,
        mode=mode or default_mode(channel),
        source=source,
        order_number=order_number,
        **extra,
    )
    with transaction.atomic():
        sale.full_clean(exclude=["order_number"] if not order_number else None)
        sale.save()
    return sale


def evidenced_sales(queryset, kinds=("sales_proof",)):
    from muxiang.core.services import with_evidence

    return with_evidence(queryset, list(kinds))


@dataclass
class ChannelTotal:
    channel: str
    label: str
    count: int
    amount: Decimal


def totals_by_channel(queryset) -> list[ChannelTotal]:
    """Each channel with its number of sales and yuan, in the contract's order: one GROUP BY."""
    rows = {
        row["channel"]: row
        for row in queryset.order_by().values("channel").annotate(count=Count("pk"), total=Sum("amount"))
    }
    return [
        ChannelTotal(value, str(label), rows[value]["count"], rows[value]["total"] or Decimal(0))
        for value, label in SalesChannel.choices
        if value in rows
    ]


@dataclass
class PhaseTotal:
    phase: object
    count: int
    amount: Decimal
    counted: Decimal  # the yuan of the sales that carry their sales proof
    target: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.counted * 100 / self.target).quantize(Decimal("0.1"))


def totals_by_phase(queryset, contract) -> list[PhaseTotal]:
    """Per phase of ``contract``: the sales of ``queryset`` dated in it, their yuan, and the yuan
    that count toward the target (with a sales proof). One query per phase."""
    if contract is None:
        return []
    phases = list(contract.phases.all())
    if not phases:
        return []
    # The sales proof, from the sale's stored evidence mark (``core.services.with_evidence``).
    proof = EVIDENCE_BITS[EvidenceKind.SALES_PROOF]
    proven = Q(Exact(F("evidence_mask").bitand(proof), proof))
    # One query per phase over its date range of the covering index (three aggregates a row) costs
    # a fifth of one query with nine FILTERed aggregates over every sale of the contract.
    live = queryset.filter(contract=contract).order_by()
    figures = {}
    for phase in phases:
        found = live.filter(sold_on__range=(phase.start, phase.end)).aggregate(
            n=Count("pk"), a=Sum("amount"), c=Sum("amount", filter=proven)
        )
        figures.update({f"{key}{phase.number}": value for key, value in found.items()})
    goals = {}
    target = contract.targets.filter(metric="sales.amount").prefetch_related("phase_targets__phase").first()
    if target is not None:
        goals = {pt.phase.number: pt.value for pt in target.phase_targets.all()}
    return [
        PhaseTotal(
            phase,
            figures[f"n{phase.number}"] or 0,
            figures[f"a{phase.number}"] or Decimal(0),
            figures[f"c{phase.number}"] or Decimal(0),
            goals.get(phase.number),
        )
        for phase in phases
    ]


# ---------------------------------------------------------------------------------------------------
# The rural product census


def census_problems(contract_id, year, completed_on, proposal, exclude=None) -> dict[str, str]:
    problems = {}
    if contract_id and year:
        other = ProductCensus.objects.filter(contract_id=contract_id, year=year)
        if exclude is not None:
            other = other.exclude(pk=exclude)
        if other.exists():
            problems["year"] = _("该合同 %(y)s 年度已有农村产品数据库版本，每年只能有一个") % {"y": year}
    if completed_on and year and completed_on.year < year:
        problems["completed_on"] = _("完成日期 %(d)s 早于 %(y)s 年度") % {
            "d": completed_on.isoformat(),
            "y": year,
        }
    if completed_on and not (proposal or "").strip():
        problems["proposal"] = _("完成年度更新时，请填写根据本次更新制定的产业提升建议方案")
    return problems


SHARE_ITEM = re.compile(r"^(?P<name>.+?)[\s:：]*(?P<share>\d+(?:\.\d+)?)\s*[%％]?$")
SHARE_SEPARATORS = re.compile(r"[、,，;；\n]+")


def parse_channel_shares(text: str) -> list[list]:
    """「收购商 60%、农贸市场 30%、合作社统销 10%」 → [["收购商", 60], …]. Raises ValueError with
    the Chinese message when an item cannot be read."""
    shares = []
    for item in (part.strip() for part in SHARE_SEPARATORS.split(text or "")):
        if not item:
            continue
        match = SHARE_ITEM.match(item)
        if not match or not match.group("name").strip():
            raise ValueError(_("无法识别「%(i)s」，应写作：渠道名称 比例，如 收购商 60%%") % {"i": item})
        try:
            share = Decimal(match.group("share"))
        except InvalidOperation as exc:
            raise ValueError(_("比例应为数字：%(i)s") % {"i": item}) from exc
        shares.append([match.group("name").strip(), float(share) if share % 1 else int(share)])
    return shares


def format_channel_shares(shares) -> str:
    return "、".join(f"{name} {share}%" for name, share in shares or [])


def channel_shares_problem(shares) -> str | None:
    """The traditional channels' shares must name each channel once and add up to 100%."""
    if not shares:
        return _("请填写传统销售渠道及比例，如：收购商 60、农贸市场 40")
    names = [str(name) for name, _share in shares]
    if len(set(names)) != len(names):
        return _("渠道重复：%(n)s") % {"n": "、".join(sorted({n for n in names if names.count(n) > 1}))}
    total = sum(Decimal(str(share)) for _name, share in shares)
    if any(Decimal(str(share)) <= 0 for _name, share in shares):
        return _("各渠道比例应大于 0")
    if total != 100:
        return _("各渠道比例合计应为 100%%，现为 %(t)s%%") % {"t": f"{total.normalize():f}"}
    return None


def town_outside_contract(contract, town) -> str | None:
    """A census row belongs to its contract's county: with the contracts of two counties loaded,
    each county's census holds only its own towns (a contract without a linked county takes any)."""
    county = contract.county
    if county is None or town.path.startswith(county.path + "/"):
        return None
    return _("「%(t)s」不在合同「%(c)s」的旗县（%(k)s）内") % {
        "t": town.path,
        "c": contract.name,
        "k": county.name,
    }


def census_for(year: int, town, contract=None, censuses=None) -> ProductCensus | str:
    """The census year a row of ``year`` in ``town`` belongs to: of ``contract`` when given, else
    of the one contract whose county holds the town (or, of contracts without a county, the only
    one with that year). ``censuses`` are the live census years of ``year`` when already read.
    Returns the census, or why none can be chosen."""
    if censuses is None:
        censuses = list(ProductCensus.objects.filter(year=year).select_related("contract__county"))
    if contract is not None:
        found = next((c for c in censuses if c.contract_id == contract.pk), None)
        if found is None:
            return _("合同「%(c)s」没有 %(y)s 年度的农村产品数据库版本，请先建立") % {
                "c": contract.name,
                "y": year,
            }
        return found
    candidates = [c for c in censuses if town is None or town_outside_contract(c.contract, town) is None]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return _("没有覆盖该镇/苏木的 %(y)s 年度农村产品数据库版本，请先建立") % {"y": year}
    return _("多个合同都有 %(y)s 年度版本（%(c)s），请填写合同") % {
        "y": year,
        "c": "、".join(c.contract.name for c in candidates),
    }


def entry_problems(census, category, town, planted_area, herd_size, shares, exclude=None) -> dict[str, str]:
    problems = {}
    if town is not None and town.level != "town":
        problems["town"] = _("请选择镇/苏木：「%(r)s」是%(l)s") % {
            "r": town.name,
            "l": town.get_level_display(),
        }
    if planted_area is None and herd_size is None:
        problems["planted_area"] = _("请填写种植面积（种植业）或存栏量（养殖业）")
    problem = channel_shares_problem(shares)
    if problem:
        problems["channel_shares"] = problem
    if census is not None and town is not None and "town" not in problems:
        problem = town_outside_contract(census.contract, town)
        if problem:
            problems["town"] = problem
    if census is not None:
        frozen = census.frozen_problem()
        if frozen:
            problems["census"] = frozen
        if category and town is not None:
            other = CensusEntry.objects.filter(census=census, category=category.strip(), town=town)
            if exclude is not None:
                other = other.exclude(pk=exclude)
            if other.exists():
                problems["category"] = _("%(y)s 年度 %(t)s 已有「%(c)s」的记录") % {
                    "y": census.year,
                    "t": town.name,
                    "c": category,
                }
    return problems


@transaction.atomic
def complete_census(census: ProductCensus, completed_on: datetime.date, proposal: str) -> ProductCensus:
    """Mark a census year completed with the improvement proposal written from it."""
    census.completed_on = completed_on
    census.proposal = proposal
    census.full_clean()
    if not census.entries.exists():
        raise ValidationError({"completed_on": _("本年度尚无数据库条目，不能标记为完成")})
    census.save()
    return census


@dataclass
class ComparisonRow:
    category: str
    town: str
    before: dict | None
    after: dict | None

    def change(self, field: str):
        old = (self.before or {}).get(field)
        new = (self.after or {}).get(field)
        if old is None or new is None:
            return None
        return new - old

    def change_percent(self, field: str):
        old = (self.before or {}).get(field)
        change = self.change(field)
        if change is None or not old:
            return None
        return (Decimal(change) * 100 / Decimal(old)).quantize(Decimal("0.1"))

    @property
    def cells(self) -> list[tuple]:
        """(before, after, change, change %) of each of ``FIGURES``, for the page and the export."""
        return [
            ((self.before or {}).get(f), (self.after or {}).get(f), self.change(f), self.change_percent(f))
            for f in FIGURES
        ]


FIGURES = ("planted_area", "herd_size", "output")


def compare_censuses(before: ProductCensus, after: ProductCensus) -> dict:
    """Year over year: per category (totals over the towns) and per category and town, the
    figures of both years. Two queries."""

    def rows(census, by_town: bool):
        fields = ["category", "town__name"] if by_town else ["category"]
        return {
            tuple(r[f] for f in fields): r
            for r in census.entries.order_by()
            .values(*fields)
            .annotate(
                planted_area=Sum("planted_area"),
                herd_size=Sum("herd_size"),
                output=Sum("output"),
                towns=Count("town", distinct=True),
            )
        }

    result = {}
    for by_town in (False, True):
        old, new = rows(before, by_town), rows(after, by_town)
        result["by_town" if by_town else "by_category"] = [
            ComparisonRow(key[0], key[1] if by_town else "", old.get(key), new.get(key))
            for key in sorted(set(old) | set(new))
        ]
    return result


def censuses_with_entries():
    return ProductCensus.objects.filter(Exists(CensusEntry.objects.filter(census=OuterRef("pk"))))
