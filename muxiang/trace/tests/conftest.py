"""The trace system's test world: the sample contract (phases 2026-01-01..06-30 and
2026-07-01..12-31), "today" pinned to 2026-11-28, the 海流图牧歌合作社 enrolled with its mutton
product and a base, a slaughter batch, and the 巴音家庭牧场 enrolled as a second producer."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from muxiang.contracts.services import load_contract
from muxiang.supply.models import Product
from muxiang.trace.models import Batch, Enterprise, ProductionBase

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
IN_PHASE_1 = datetime.date(2026, 3, 15)
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)
FIRST_DAY_OF_PHASE_2 = datetime.date(2026, 7, 1)
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


@pytest.fixture(autouse=True)
def _fresh_scan_limits(monkeypatch, settings, tmp_path):
    """The public page's rate counters, page data and counts live in the cache, which may be shared
    (Redis): each test uses keys of its own, and a scan queue of its own."""
    import os

    prefix = f"trace-test-{os.urandom(6).hex()}"
    monkeypatch.setattr("muxiang.trace.views.CACHE_PREFIX", prefix)
    monkeypatch.setattr("muxiang.trace.scans.CACHE_PREFIX", prefix)
    settings.TRACE_SCAN_QUEUE_DIR = tmp_path / "trace-scans"


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def document(name="发码清单.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def photo(name="牧场照片.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def enterprise(contract, organisation):
    return Enterprise.objects.create(
        contract=contract,
        organisation=organisation,
        enrolled_on=IN_PHASE_1,
        industry="肉羊",
        enterprise_brand="牧歌",
        regional_brand="乌拉特中旗羊肉",
        introduction="海流图镇牧民合作社，天然草场放牧。",
    )


@pytest.fixture
def other_enterprise(contract, other_organisation):
    return Enterprise.objects.create(
        contract=contract, organisation=other_organisation, enrolled_on=IN_PHASE_1, industry="奶食品"
    )


@pytest.fixture
def product(organisation):
    return Product.objects.create(
        code="SP-0001",
        name="乌拉特羊肉",
        specification="2.5kg 礼盒",
        gtin="06901234567892",
        producer=organisation,
    )


@pytest.fixture
def base(enterprise, town):
    return ProductionBase.objects.create(
        enterprise=enterprise,
        name="巴音哈太牧场",
        region=town,
        area_mu=Decimal("3200"),
        latitude=Decimal("41.567800"),
        longitude=Decimal("108.515300"),
    )


@pytest.fixture
def batch(enterprise, product, base):
    return Batch.objects.create(
        enterprise=enterprise,
        product=product,
        base=base,
        lot="L20261020",
        kind="slaughter",
        produced_on=datetime.date(2026, 10, 20),
        quantity=Decimal("300"),
        unit="箱",
        inputs="天然牧草\n玉米（自产）",
        story="羊只在巴音哈太牧场自然放牧 10 个月。",
    )
