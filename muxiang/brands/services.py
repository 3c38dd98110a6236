"""The brand system's rules, each in one place: the model's ``clean()`` asks the ``*_problems``
functions (forms and API), the ledgers ask the same functions for a whole file, and the verb-first
functions below are how code (the demo, the pages' small actions) writes records.

- one live regional public brand per contract; an enterprise brand names its owner; a registered
  trademark has its number;
- members belong to the regional brand; an enterprise holds one membership at a time (it may leave
  and join again); it leaves on or after the day it joined;
- a brand service is given while the enterprise is a member;
- a product is in a series once; a packaging run of one product packs a product of its series;
  its units are more than zero.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from muxiang.brands.choices import BrandTier, TrademarkStatus
from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.core import permissions
from muxiang.core.numbering import next_series_number
from muxiang.core.services import acting_as

FAR_FUTURE = datetime.date.max


# --------------------------------------------------------------------------------------------------
# The rules


def brand_problems(brand: Brand) -> dict[str, str]:
    problems = {}
    if brand.tier == BrandTier.ENTERPRISE and not brand.owner_id:
        problems["owner"] = _("企业品牌须填写权属企业")
    if brand.trademark_status == TrademarkStatus.REGISTERED and not (brand.trademark_number or "").strip():
        problems["trademark_number"] = _("商标已注册，请填写商标注册号")
    if brand.tier == BrandTier.REGIONAL and brand.contract_id:
        other = regional_brand_of(brand.contract_id, exclude=brand.pk)
        if other is not None:
            problems["tier"] = _("本合同已有区域公共品牌「%(b)s」，只能有一个") % {"b": other}
    return problems


def regional_brand_of(contract_id: int, exclude: int | None = None) -> Brand | None:
    return Brand.objects.filter(contract_id=contract_id, tier=BrandTier.REGIONAL).exclude(pk=exclude).first()


def membership_clash(brand_id, organisation_id, joined_on, left_on, exclude=None) -> BrandMember | None:
    """A live membership of the same enterprise in the same brand whose period meets this one."""
    if not (brand_id and organisation_id and joined_on):
        return None
    others = BrandMember.objects.filter(brand_id=brand_id, organisation_id=organisation_id).exclude(
        pk=exclude
    )
    for other in others.order_by("joined_on"):
        if periods_meet(other.joined_on, other.left_on, joined_on, left_on):
            return other
    return None


def periods_meet(first_start, first_end, second_start, second_end) -> bool:
    """Whether two membership periods share a day; an open end is "still a member"."""
    return first_start <= (second_end or FAR_FUTURE) and second_start <= (first_end or FAR_FUTURE)


def clash_message(organisation, other: BrandMember) -> str:
    return _("「%(o)s」已是该品牌成员（授权编号 %(n)s，%(d)s 加入），不能重复加入") % {
        "o": organisation,
        "n": other.authorisation_number,
        "d": other.joined_on.isoformat(),
    }


def leaving_problem(joined_on, left_on) -> str | None:
    if left_on is None or joined_on is None:
        return None
    if left_on < joined_on:
        return _("退出日期 %(l)s 不能早于加入日期 %(j)s") % {
            "l": left_on.isoformat(),
            "j": joined_on.isoformat(),
        }
    if left_on > timezone.localdate():
        return _("日期不能晚于今天：%(v)s") % {"v": left_on.isoformat()}
    return None


def member_problems(member: BrandMember) -> dict[str, str]:
    problems = {}
    if member.brand_id and member.brand.tier != BrandTier.REGIONAL:
        problems["brand"] = _("只有区域公共品牌吸收成员企业：「%(b)s」是%(t)s") % {
            "b": member.brand,
            "t": member.brand.get_tier_display(),
        }
    problem = leaving_problem(member.joined_on, member.left_on)
    if problem:
        problems["left_on"] = problem
    elif "brand" not in problems:
        other = membership_clash(
            member.brand_id, member.organisation_id, member.joined_on, member.left_on, exclude=member.pk
        )
        if other is not None:
            problems["organisation"] = clash_message(member.organisation, other)
    return problems


def service_date_problem(joined_on, left_on, provided_on) -> str | None:
    if provided_on is None or joined_on is None:
        return None
    if provided_on < joined_on or (left_on is not None and provided_on > left_on):
        period = f"{joined_on.isoformat()} – {left_on.isoformat() if left_on else _('至今')}"
        return _("服务日期 %(d)s 不在该企业的成员期内（%(p)s）") % {"d": provided_on.isoformat(), "p": period}
    return None


def service_problems(service: BrandService) -> dict[str, str]:
    if not service.member_id:
        return {}
    problem = service_date_problem(service.member.joined_on, service.member.left_on, service.provided_on)
    return {"provided_on": problem} if problem else {}


def series_product_problems(entry: SeriesProduct) -> dict[str, str]:
    if not (entry.series_id and entry.product_id):
        return {}
    if (
        SeriesProduct.objects.filter(series_id=entry.series_id, product_id=entry.product_id)
        .exclude(pk=entry.pk)
        .exists()
    ):
        return {"product": _("「%(p)s」已在系列「%(s)s」中") % {"p": entry.product, "s": entry.series.name}}
    return {}


def packaging_problems(run: PackagingRun) -> dict[str, str]:
    problems = {}
    if run.units is not None and run.units <= 0:
        problems["units"] = _("生产数量应大于 0")
    if run.series_id and run.product_id:
        if not SeriesProduct.objects.filter(series_id=run.series_id, product_id=run.product_id).exists():
            problems["product"] = _("「%(p)s」不是系列「%(s)s」的产品，请先把它加入该系列") % {
                "p": run.product,
                "s": run.series.name,
            }
    return problems


# --------------------------------------------------------------------------------------------------
# Numbers


# The series numbers (``core.numbering``), by the name this app's forms and services call.
next_number = next_series_number


# --------------------------------------------------------------------------------------------------
# Writing


def _save(record, by):
    if by is not None and not (
        permissions.can_change(by, record) if record.pk else permissions.can_add(by, type(record))
    ):
        raise PermissionDenied(_("您没有修改此记录的权限"))
    record.full_clean()
    with acting_as(by):
        record.save()
    return record


@transaction.atomic
def establish_brand(contract, name: str, tier: str, established_on, by=None, **fields) -> Brand:
    """Register a brand established (or integrated) under ``contract``."""
    return _save(Brand(contract=contract, name=name, tier=tier, established_on=established_on, **fields), by)


@transaction.atomic
def join_brand(
    brand: Brand, organisation, authorisation_number: str, joined_on, by=None, **fields
) -> BrandMember:
    """An enterprise joins the regional public brand under an authorisation."""
    member = BrandMember(
        brand=brand,
        contract_id=brand.contract_id,
        organisation=organisation,
        authorisation_number=authorisation_number,
        joined_on=joined_on,
        **fields,
    )
    return _save(member, by)


@transaction.atomic
def leave_brand(member: BrandMember, left_on, by=None) -> BrandMember:
    """The enterprise leaves the brand system on ``left_on``; nothing is written if that is wrong."""
    member = BrandMember.objects.select_for_update().get(pk=member.pk)
    member.left_on = left_on
    return _save(member, by)


@transaction.atomic
def record_brand_service(member: BrandMember, kind: str, provided_on, content: str, by=None, **fields):
    """A brand service given to a member enterprise, numbered when no number is given."""
    service = BrandService(
        member=member,
        contract_id=member.contract_id,
        kind=kind,
        provided_on=provided_on,
        content=content,
        **fields,
    )
    service.number = service.number or next_number(BrandService)
    return _save(service, by)


@transaction.atomic
def launch_series(brand: Brand, code: str, name: str, launched_on, by=None, **fields) -> ProductSeries:
    series = ProductSeries(
        brand=brand, contract_id=brand.contract_id, code=code, name=name, launched_on=launched_on, **fields
    )
    return _save(series, by)


@transaction.atomic
def add_to_series(series: ProductSeries, product, launched_on, by=None, **fields) -> SeriesProduct:
    entry = SeriesProduct(
        series=series, contract_id=series.contract_id, product=product, launched_on=launched_on, **fields
    )
    return _save(entry, by)


@transaction.atomic
def record_packaging_run(
    series: ProductSeries, units: int, produced_on, design: str, supplier: str, by=None, **fields
) -> PackagingRun:
    """Packaging produced for a series (or one of its products), numbered when no number is given."""
    run = PackagingRun(
        series=series,
        contract_id=series.contract_id,
        units=units,
        produced_on=produced_on,
        design=design,
        supplier=supplier,
        **fields,
    )
    run.number = run.number or next_number(PackagingRun)
    return _save(run, by)
