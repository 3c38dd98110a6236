"""Trade-network coverage: towns with an active outlet in the town, villages with one in the village,
on the day measured (opening and closing dates), only outlets with their photo and document for
the contract's target — the way station coverage is computed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, Window, measure
from muxiang.core.services import attach_evidence
from muxiang.network.services import compute_network_coverage
from muxiang.network.tests.conftest import OPENED, make_outlet
from muxiang.regions.models import Region

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
EVIDENCE = {EVIDENCE_PARAM: ("photo", "document")}


def on(day):
    return Window(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), day)


@pytest.fixture
def villages(other_town, village):
    second = Region.objects.create(name="新华村", level="village", parent=other_town)
    return [village, second]


def test_towns_and_villages_are_covered_by_active_outlets_on_the_day(
    county, town, other_town, villages, organisation
):
    make_outlet("T-1", town, organisation)
    make_outlet("V-1", villages[0], organisation)
    make_outlet("V-2", villages[1], organisation, status="planned", opened_on=None)
    make_outlet("T-2", other_town, organisation, status="closed", closed_on=datetime.date(2026, 3, 1))
    figures = {f.key: f for f in compute_network_coverage(county, datetime.date(2026, 3, 15))}
    assert (figures["town"].covered, figures["town"].total, figures["town"].percent) == (
        1,
        2,
        Decimal("50.0"),
    )
    assert (figures["village"].covered, figures["village"].total, figures["village"].met) == (1, 2, True)
    # Before any outlet opened, nothing was covered.
    earlier = {f.key: f for f in compute_network_coverage(county, OPENED - datetime.timedelta(days=1))}
    assert earlier["town"].covered == 0


def test_the_metric_counts_only_outlets_with_their_photo_and_document(
    contract, staff, town, other_town, villages, organisation
):
    first = make_outlet("T-1", town, organisation)
    second = make_outlet("T-2", other_town, organisation)
    for outlet in (first, second):
        attach_evidence(outlet, SimpleUploadedFile("门头.png", PNG, "image/png"), staff, kind="photo")
    attach_evidence(first, SimpleUploadedFile("协议.pdf", PDF, "application/pdf"), staff, kind="document")
    last_day = datetime.date(2026, 6, 30)
    assert measure("trade_network.coverage", on(last_day), {"level": "town", **EVIDENCE}, contract) == 50
    assert measure("trade_network.coverage", on(last_day), {"level": "town"}, contract) == 100
    assert measure("trade_network.coverage", on(last_day), {"level": "village"}, contract) == 0
    records = RECORDS["trade_network.coverage"](on(last_day), {"level": "town"}, contract)
    assert {o.code for o in records} == {"T-1", "T-2"}


def test_an_outlet_opened_the_day_after_phase_1_does_not_count_in_phase_1(contract, town, organisation):
    make_outlet("T-1", town, organisation, opened_on=datetime.date(2026, 7, 1))
    assert measure("trade_network.coverage", on(datetime.date(2026, 6, 30)), {"level": "town"}, contract) == 0


def test_an_outlet_must_be_in_a_town_or_village_and_dated_as_its_status_says(county, organisation):
    from muxiang.network.models import Outlet

    outlet = Outlet(
        code="X",
        name="旗供销社",
        kind="supply_marketing",
        operator=organisation,
        region=county,
        status="active",
    )
    with pytest.raises(ValidationError) as refused:
        outlet.full_clean()
    assert "不能直接登记在旗/县" in refused.value.message_dict["region"][0]
    assert "需要填写开业日期" in refused.value.message_dict["opened_on"][0]


def test_the_coverage_page_shows_both_levels_and_each_town(
    login, auditor, county, town, other_town, villages, organisation
):
    make_outlet("T-1", town, organisation)
    response = login(auditor).get("/network/coverage/?on=2026-03-15")
    assert response.status_code == 200
    assert [f.key for f in response.context["figures"]] == ["town", "village"]
    towns = {t.name: (t.has_outlet, t.outlet_count) for t, _c in response.context["towns"]}
    assert towns == {"海流图镇": (True, 1), "乌加河镇": (False, 0)}
    assert login(auditor).get("/network/coverage/?on=昨天").status_code == 200
