"""The supply chain's test world: the sample contract (phases 2026-01-01..06-30 and
2026-07-01..12-31), "today" pinned to 2026-11-28, the county warehouse and 巴特尔's station as a
stock point, three products of the county, a supplier and client businesses, and builders that
go through the real services."""

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from muxiang.contracts.services import load_contract
from muxiang.core.validators import make_credit_code
from muxiang.organisations.models import Organisation
from muxiang.supply import services
from muxiang.supply.models import Product, Supplier, SupplyChain, SystematicService, Warehouse

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
IN_PHASE_1 = datetime.date(2026, 3, 15)
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)
FIRST_DAY_OF_PHASE_2 = datetime.date(2026, 7, 1)
IN_PHASE_2 = datetime.date(2026, 8, 1)
TODAY = datetime.date(2026, 11, 28)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

_real_localdate = timezone.localdate


@pytest.fixture(autouse=True)
def _not_after_the_sample_phases(monkeypatch):
    def localdate(value=None, timezone=None):
        return TODAY if value is None else _real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def document(name="签收单.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def photo(name="签收照片.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def q(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def county_warehouse(db):
    return Warehouse.objects.create(code="CK-01", name="乌拉特中旗县级仓储配送中心", kind="county")


@pytest.fixture
def station_point(station):
    return Warehouse.objects.create(code="ZD-HLT", name="海流图镇站点前置仓", kind="station", station=station)


@pytest.fixture
def other_point(other_station):
    return Warehouse.objects.create(
        code="ZD-BY", name="巴音村站点前置仓", kind="station", station=other_station
    )


@pytest.fixture
def mutton(db):
    return Product.objects.create(code="SP-0001", name="巴美肉羊羊排", specification="2kg/袋", unit="袋")


@pytest.fixture
def flour(db):
    return Product.objects.create(code="SP-0002", name="河套雪花粉", specification="5kg/袋", unit="袋")


@pytest.fixture
def seeds(db):
    return Product.objects.create(code="SP-0003", name="河套向日葵籽", specification="500g", unit="包")


@pytest.fixture
def supplier(db):
    return Supplier.objects.create(name="巴彦淖尔河套面业有限公司", contact_name="张经理")


def make_client(n: int, kind="online_merchant", station=None) -> Organisation:
    return Organisation.objects.create(
        name=f"中旗网店{n:02d}",
        kind=kind,
        credit_code=make_credit_code(f"92150824MA1C{n:05d}"),
        station=station,
    )


def stock(warehouse, product, quantity, day=IN_PHASE_1, by=None):
    """Opening stock: an adjustment of ``quantity`` on ``day``."""
    return services.post_movements(
        [services.Posting(warehouse, product, day, q(quantity), "adjustment", note="期初库存")], by
    )


def deliver(contract, warehouse, product, quantity, day=IN_PHASE_1, client=None, to_station=None, by=None):
    return services.record_delivery(
        contract,
        warehouse,
        day,
        [(product, q(quantity))],
        by,
        client=client,
        to_station=to_station,
        route="海流图镇—德岭山镇",
    )


def make_service(contract, organisation, provided_on=IN_PHASE_1, kind="brand_registration"):
    return SystematicService.objects.create(
        contract=contract,
        organisation=organisation,
        provided_on=provided_on,
        kind=kind,
        content="协助注册商标",
    )


def make_chain(contract, integrated_on=IN_PHASE_1, name="巴美肉羊供应链"):
    return SupplyChain.objects.create(
        contract=contract,
        name=name,
        product_line="巴美肉羊：养殖—屠宰分割—冷链—网销",
        integrated_on=integrated_on,
        description="整合 3 家合作社、1 家屠宰企业与县级冷链仓",
    )


@pytest.fixture
def shop(station):
    return make_client(1, station=station)


@pytest.fixture
def order(contract, supplier, county_warehouse, flour, seeds, shop, organisation, staff):
    """A centralised purchase of 海流图's shop and cooperative: 100 bags of flour for the shop,
    40 for the cooperative, 200 packs of seeds for the shop."""
    return services.create_purchase_order(
        contract,
        supplier,
        county_warehouse,
        IN_PHASE_1,
        [
            (flour, shop, q(100), q("65.00")),
            (flour, organisation, q(40), q("65.00")),
            (seeds, shop, q(200), None),
        ],
        staff,
    )


@pytest.fixture
def supply(contract, county_warehouse, station_point, other_point, mutton, flour, shop, organisation, staff):
    return SimpleNamespace(
        contract=contract,
        county=county_warehouse,
        station_point=station_point,
        other_point=other_point,
        mutton=mutton,
        flour=flour,
        shop=shop,
        organisation=organisation,
        staff=staff,
    )
