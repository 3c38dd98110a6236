"""The reports test world: the sample contract (phases 2026-01-01..06-30 and 2026-07-01..12-31) over
乌拉特中旗 with 巴特尔's town station (海流图镇) and 其其格's village station (巴音村, 乌加河镇), "today"
pinned to 2026-11-28, and builders for the records a report reads. The personas come from
``muxiang/conftest.py``: 李强 (``staff``) drafts and submits, 赵监 (``client_supervisor``) approves or
returns, 巴特尔 (``manager``) must see no report."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from muxiang.contracts.services import load_contract
from muxiang.operations.models import StationDailyReport

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
TODAY = datetime.date(2026, 11, 28)
OCTOBER = datetime.date(2026, 10, 1)
SEPTEMBER = datetime.date(2026, 9, 1)

_real_localdate = timezone.localdate


@pytest.fixture(autouse=True)
def _today_is_pinned(monkeypatch):
    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture
def contract(county, station, other_station):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


def daily(station, day, buying="0", selling="0", farm="0", buying_orders=0, selling_orders=0):
    return StationDailyReport.objects.create(
        station=station,
        day=day,
        proxy_buying_amount=Decimal(buying),
        proxy_selling_amount=Decimal(selling),
        farm_product_amount=Decimal(farm),
        proxy_buying_orders=buying_orders,
        proxy_selling_orders=selling_orders,
    )
