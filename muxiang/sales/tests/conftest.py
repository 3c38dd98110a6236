"""The sales test world: the sample contract (phases 2026-01-01..06-30 and 2026-07-01..12-31),
"today" pinned to 2026-11-28, two products of the catalogue and builders for sales and census rows.
巴特尔's station (``station``) and 其其格's (``other_station``) come from ``muxiang/conftest.py``."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from muxiang.contracts.services import load_contract
from muxiang.sales.models import CensusEntry, ProductCensus, Sale
from muxiang.supply.models import Product

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
IN_PHASE_1 = datetime.date(2026, 3, 15)
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)
FIRST_DAY_OF_PHASE_2 = datetime.date(2026, 7, 1)
TODAY = datetime.date(2026, 11, 28)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_real_localdate = timezone.localdate


@pytest.fixture(autouse=True)
def _not_after_the_sample_phases(monkeypatch):
    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def proof(name="销售证明.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def lamb(db):
    return Product.objects.create(
        code="SP-0001", name="乌拉特羊肉", category="肉羊", specification="2.5kg", unit="盒"
    )


@pytest.fixture
def seeds(db):
    return Product.objects.create(code="SP-0002", name="河套葵花籽", category="向日葵", unit="袋")


def make_sale(contract, seller, product, amount="1000", sold_on=IN_PHASE_1, channel="supermarket", **values):
    defaults = {"source": "销售单据", "quantity": Decimal("10"), "mode": ""}
    values = {**defaults, **values}
    sale = Sale(
        contract=contract,
        seller=seller,
        product=product,
        amount=Decimal(amount),
        sold_on=sold_on,
        channel=channel,
        **values,
    )
    sale.save()
    return sale


def make_census(contract, year=2026, completed_on=IN_PHASE_1, proposal="扩大订单收购", **values):
    return ProductCensus.objects.create(
        contract=contract, year=year, completed_on=completed_on, proposal=proposal, **values
    )


def make_entry(census, town, category="肉羊", **values):
    defaults = {
        "herd_size": 52000,
        "output": Decimal("3100"),
        "market_season": "9—12 月",
        "channel_shares": [["收购商", 60], ["农贸市场", 40]],
    }
    return CensusEntry.objects.create(census=census, town=town, category=category, **{**defaults, **values})
