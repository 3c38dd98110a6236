import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from muxiang.brands.models import Brand, BrandMember, BrandService, PackagingRun, ProductSeries, SeriesProduct
from muxiang.contracts.services import load_contract
from muxiang.core import services as core_services
from muxiang.supply.models import Product

SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
# The sample contract's phases: 1 is 2026-01-01..06-30, 2 is 2026-07-01..12-31.
IN_PHASE_1 = datetime.date(2026, 3, 15)
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)
FIRST_DAY_OF_PHASE_2 = datetime.date(2026, 7, 1)
IN_PHASE_2 = datetime.date(2026, 8, 1)
TODAY = datetime.date(2026, 11, 28)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _not_after_the_sample_phases(monkeypatch):
    """The tests' dates are in 2026; "today" is pinned after them so none is in the future."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


def attach(record, by, kind):
    """A file of ``kind`` on ``record``: a PNG for photos, a PDF for the rest."""
    upload = (
        SimpleUploadedFile("照片.png", PNG, "image/png")
        if kind in ("photo", "screenshot")
        else SimpleUploadedFile("材料.pdf", PDF, "application/pdf")
    )
    return core_services.attach_evidence(record, upload, by, "佐证", kind=kind)


def make_brand(contract, name="乌拉特草原", tier="regional", day=IN_PHASE_1, **extra):
    return Brand.objects.create(contract=contract, name=name, tier=tier, established_on=day, **extra)


def make_member(brand, organisation, number="WLT-SQ-001", day=IN_PHASE_1, **extra):
    return BrandMember.objects.create(
        contract=brand.contract,
        brand=brand,
        organisation=organisation,
        authorisation_number=number,
        joined_on=day,
        **extra,
    )


def make_service(member, number="PF-001", day=IN_PHASE_1, **extra):
    values = {"kind": "design", "content": "设计礼盒包装与品牌标识应用", **extra}
    return BrandService.objects.create(
        contract=member.contract, member=member, number=number, provided_on=day, **values
    )


def make_product(n=1, **extra):
    values = {"name": f"巴美羊肉礼盒{n}", "category": "肉羊", "specification": "2.5kg", **extra}
    return Product.objects.create(code=f"BR-T{n:03d}", **values)


def make_series(brand, code="XL-01", name="草原羊肉系列", day=IN_PHASE_1, **extra):
    return ProductSeries.objects.create(
        contract=brand.contract, brand=brand, code=code, name=name, launched_on=day, **extra
    )


def make_entry(series, product, day=IN_PHASE_1, **extra):
    return SeriesProduct.objects.create(
        contract=series.contract, series=series, product=product, launched_on=day, **extra
    )


def make_run(series, number="BZ-001", units=1000, day=IN_PHASE_1, **extra):
    values = {
        "design": "礼盒 2.5kg 装",
        "supplier": "巴彦淖尔印务有限公司",
        "invoice_number": "04512345",
        **extra,
    }
    return PackagingRun.objects.create(
        contract=series.contract, series=series, number=number, units=units, produced_on=day, **values
    )


@pytest.fixture
def regional(contract):
    return make_brand(contract)


@pytest.fixture
def series(regional):
    return make_series(regional)


@pytest.fixture
def phase_1_accepted(contract):
    from muxiang.contracts.choices import AcceptanceState
    from muxiang.contracts.models import PhaseAcceptance

    phase = contract.phases.get(number=1)
    PhaseAcceptance.objects.create(phase=phase, state=AcceptanceState.ACCEPTED)
    return phase


@pytest.fixture
def records(contract, regional, organisation):
    """One record of each ledger, keyed by its route prefix (``brands:<prefix>-detail``)."""
    member = make_member(regional, organisation)
    series = make_series(regional)
    product = make_product()
    return {
        "brand": regional,
        "member": member,
        "service": make_service(member),
        "series": series,
        "product": make_entry(series, product),
        "packaging": make_run(series, product=product),
    }
