"""The ministry platform's fields: the ONE place that says what each delivery holds and how each
field is named on the platform.

The platform's published schema is not available to us, so every field has a stable key (ours), a
platform name (``name``: the key unless renamed) and a Chinese label (the header of the file
export). When the platform's schema is known, rename its fields without a code change through a
JSON file named by ``MUXIANG_MOFCOM_FIELDS``::

    {"daily": {"station_code": "zdbm", "proxy_buying_amount": {"name": "dmje", "label": "代买金额"}},
     "monthly": {"project_number": "xmbh"}}

A field listed there and unknown here is refused when the adapter starts (``check_renames``), so a
typo never silently drops a field. The list and the envelope of an HTTP push are documented in
``docs/mofcom.md``.
"""

import dataclasses
import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from muxiang.mofcom import conf
from muxiang.mofcom.choices import DeliveryKind


@dataclasses.dataclass(frozen=True)
class PlatformField:
    key: str  # ours, stable
    label: str  # the Chinese header of the file export
    kind: str  # text, integer, money (yuan, two decimals), date, month, percent
    source: Callable[[Any], Any]
    name: str = ""  # the platform's field name (the key unless renamed)

    @property
    def platform_name(self) -> str:
        return self.name or self.key


def _town(report) -> str:
    region = report.station.region
    return region.parent.name if region.level == "village" and region.parent_id else region.name


def _village(report) -> str:
    region = report.station.region
    return region.name if region.level == "village" else ""


# Every station's trade data of one day: one record per station that reported the day.
DAILY_FIELDS: tuple[PlatformField, ...] = (
    PlatformField("station_code", "站点编码", "text", lambda r: r.station.code),
    PlatformField("station_name", "站点名称", "text", lambda r: r.station.name),
    PlatformField("station_level", "站点级别", "text", lambda r: r.station.get_level_display()),
    PlatformField("town", "所属乡镇", "text", _town),
    PlatformField("village", "所属村", "text", _village),
    PlatformField("report_date", "统计日期", "date", lambda r: r.day),
    PlatformField("proxy_buying_orders", "代买单数", "integer", lambda r: r.proxy_buying_orders),
    PlatformField("proxy_buying_amount", "代买金额（元）", "money", lambda r: r.proxy_buying_amount),
    PlatformField("proxy_selling_orders", "代卖单数", "integer", lambda r: r.proxy_selling_orders),
    PlatformField("proxy_selling_amount", "代卖金额（元）", "money", lambda r: r.proxy_selling_amount),
    PlatformField("farm_product_amount", "其中农产品金额（元）", "money", lambda r: r.farm_product_amount),
    PlatformField("parcels_sent", "寄出快递（件）", "integer", lambda r: r.parcels_sent),
    PlatformField("parcels_received", "收到快递（件）", "integer", lambda r: r.parcels_received),
    PlatformField("villagers_served", "服务村民（人次）", "integer", lambda r: r.villagers_served),
    PlatformField("convenience_services", "便民服务（笔）", "integer", lambda r: r.convenience_services),
    PlatformField("poor_households", "带动贫困户（户）", "integer", lambda r: r.poor_households),
)

# The project's data of one month: one record (``MonthlySource`` below).
MONTHLY_FIELDS: tuple[PlatformField, ...] = (
    PlatformField("project_name", "项目名称", "text", lambda m: m.contract.name),
    PlatformField("project_number", "项目编号", "text", lambda m: m.contract.project_number),
    PlatformField(
        "county_code",
        "县级行政区划代码",
        "text",
        lambda m: m.contract.county.code if m.contract.county_id else "",
    ),
    PlatformField("report_month", "统计月份", "month", lambda m: m.figures.month),
    PlatformField("stations_open", "营业站点数", "integer", lambda m: m.figures.stations_open),
    PlatformField("premium_stations", "精品站点数", "integer", lambda m: m.figures.premium_stations),
    PlatformField("daily_reports", "站点日报数", "integer", lambda m: m.figures.reports),
    PlatformField("daily_report_rate", "日报完整率（%）", "percent", lambda m: m.figures.completeness),
    PlatformField("proxy_buying_orders", "代买单数", "integer", lambda m: m.figures.proxy_buying_orders),
    PlatformField("proxy_buying_amount", "代买金额（元）", "money", lambda m: m.figures.proxy_buying_amount),
    PlatformField("proxy_selling_orders", "代卖单数", "integer", lambda m: m.figures.proxy_selling_orders),
    PlatformField(
        "proxy_selling_amount", "代卖金额（元）", "money", lambda m: m.figures.proxy_selling_amount
    ),
    PlatformField(
        "farm_product_amount", "其中农产品金额（元）", "money", lambda m: m.figures.farm_product_amount
    ),
    PlatformField("parcels_sent", "寄出快递（件）", "integer", lambda m: m.figures.parcels_sent),
    PlatformField("parcels_received", "收到快递（件）", "integer", lambda m: m.figures.parcels_received),
    PlatformField("villagers_served", "服务村民（人次）", "integer", lambda m: m.figures.villagers_served),
    PlatformField(
        "convenience_services", "便民服务（笔）", "integer", lambda m: m.figures.convenience_services
    ),
    PlatformField("poor_households", "带动贫困户（户）", "integer", lambda m: m.figures.poor_households),
    PlatformField("station_visits", "站点指导巡查次数", "integer", lambda m: m.visits),
    PlatformField("manager_trainings", "站点负责人培训次数", "integer", lambda m: m.trainings),
    PlatformField("app_activity_rate", "智慧乡村APP活跃度（%）", "percent", lambda m: m.figures.app_activity),
)

FIELDS = {DeliveryKind.DAILY: DAILY_FIELDS, DeliveryKind.MONTHLY: MONTHLY_FIELDS}


def renames() -> dict[str, dict]:
    """The renames of ``MUXIANG_MOFCOM_FIELDS`` (empty without one)."""
    path = conf.setting("fields")
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"MUXIANG_MOFCOM_FIELDS: cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ImproperlyConfigured("MUXIANG_MOFCOM_FIELDS: the file must hold a JSON object")
    return data


def check_renames(data: dict) -> None:
    for kind, renamed in data.items():
        if kind not in FIELDS or not isinstance(renamed, dict):
            raise ImproperlyConfigured(f"MUXIANG_MOFCOM_FIELDS: unknown delivery kind {kind!r}")
        known = {field.key for field in FIELDS[kind]}
        unknown = sorted(set(renamed) - known)
        if unknown:
            raise ImproperlyConfigured(f"MUXIANG_MOFCOM_FIELDS: unknown {kind} fields {unknown}")


def fields_for(kind: str) -> list[PlatformField]:
    """The fields of a delivery kind, with the platform's names and labels applied."""
    data = renames()
    check_renames(data)
    renamed = data.get(kind, {})
    result = []
    for field in FIELDS[kind]:
        change = renamed.get(field.key)
        if isinstance(change, str):
            field = dataclasses.replace(field, name=change)
        elif isinstance(change, dict):
            field = dataclasses.replace(
                field,
                name=str(change.get("name", field.platform_name)),
                label=str(change.get("label", field.label)),
            )
        result.append(field)
    return result


def value_of(field: PlatformField, record) -> Any:
    """A field's value as the platform receives it (JSON): yuan and percentages as text with two
    and one decimals, dates as 2026-03-15, months as 2026-03."""
    value = field.source(record)
    if value is None:
        return None
    if field.kind == "money":
        return f"{Decimal(value):.2f}"
    if field.kind == "percent":
        return f"{Decimal(value):.1f}"
    if field.kind == "date":
        return value.isoformat()
    if field.kind == "month":
        return f"{value:%Y-%m}"
    if field.kind == "integer":
        return int(value)
    return str(value)


@dataclasses.dataclass
class MonthlySource:
    """What a month's project data is built from."""

    contract: Any
    figures: Any  # operations.services.MonthFigures
    visits: int
    trainings: int


def daily_records(day: datetime.date) -> list:
    from muxiang.operations.services import reports_of_day

    return list(reports_of_day(day))


def monthly_records(month: datetime.date, contract) -> list[MonthlySource]:
    from muxiang.operations import services as operations
    from muxiang.operations.models import ManagerTraining, StationInspection

    first, last = operations.month_start(month), operations.month_end(month)
    figures = operations.month_figures(first, contract.county)
    dated = Q(contract=contract)
    return [
        MonthlySource(
            contract=contract,
            figures=figures,
            visits=StationInspection.objects.filter(dated, visited_on__range=(first, last)).count(),
            trainings=ManagerTraining.objects.filter(dated, held_on__range=(first, last)).count(),
        )
    ]


def build_rows(kind: str, period: datetime.date, contract=None) -> tuple[list[PlatformField], list[dict]]:
    """The fields and the records (platform name → value) of one delivery."""
    fields = fields_for(kind)
    records = daily_records(period) if kind == DeliveryKind.DAILY else monthly_records(period, contract)
    return fields, [{field.platform_name: value_of(field, record) for field in fields} for record in records]
