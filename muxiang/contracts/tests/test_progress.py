"""Progress of targets from the records, at phase boundaries, in Asia/Shanghai dates."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from muxiang.contracts.engine import compute_progress
from muxiang.contracts.services import load_contract
from muxiang.stations.models import Station

SAMPLE = (Path(__file__).parent / "data" / "sample-county.toml").read_text(encoding="utf-8")
LAST_DAY_OF_PHASE_1 = datetime.date(2026, 6, 30)


def by_key(progress):
    return {item.target.key: item for item in progress}


@pytest.fixture
def contract(county):
    return load_contract(SAMPLE)


def premium_station(code, region, opened_on):
    return Station.objects.create(
        code=code,
        name=f"精品站 {code}",
        level="town",
        region=region,
        status="active",
        opened_on=opened_on,
        is_premium=True,
    )


@pytest.mark.django_db
def test_a_station_opened_on_the_last_day_of_phase_1_counts_in_phase_1(contract, town):
    premium_station("P-1", town, LAST_DAY_OF_PHASE_1)
    premium = by_key(compute_progress(contract, today=datetime.date(2026, 8, 1)))["A-premium"]
    phase_1 = premium.phases[0]
    assert (phase_1.actual, phase_1.target, phase_1.status) == (1, 1, "met")


@pytest.mark.django_db
def test_a_station_opened_the_day_after_phase_1_does_not_count_in_phase_1(contract, town):
    premium_station("P-1", town, LAST_DAY_OF_PHASE_1 + datetime.timedelta(days=1))
    premium = by_key(compute_progress(contract, today=datetime.date(2026, 8, 1)))["A-premium"]
    assert premium.phases[0].actual == 0 and premium.phases[0].status == "behind"
    assert premium.phases[1].actual == 1 and premium.phases[1].status == "behind"


@pytest.mark.django_db
def test_town_coverage_is_measured_from_active_town_stations(contract, town, other_town, station):
    coverage = by_key(compute_progress(contract, today=datetime.date(2026, 3, 1)))["A-town-coverage"]
    # given two towns of which 海流图镇 has an active station since 2024
    assert coverage.phases[0].actual == 50 and coverage.phases[0].target == 100
    assert coverage.phases[0].status == "behind"


@pytest.mark.django_db
def test_a_target_whose_records_do_not_exist_yet_is_not_measurable_never_zero(contract):
    articles = by_key(compute_progress(contract, today=datetime.date(2026, 3, 1)))["B-articles"]
    assert [p.status for p in articles.phases] == ["not_measurable", "not_started"]
    assert all(p.actual is None for p in articles.phases)


@pytest.mark.django_db
def test_the_whole_contract_is_measured_against_the_stricter_figure(contract):
    articles = by_key(compute_progress(contract, today=datetime.date(2026, 3, 1)))["B-articles"]
    # phases say 10 + 10 = 20, the main text 25: the stricter figure wins
    assert articles.overall.target == 25


@pytest.mark.django_db
def test_progress_json_gives_each_target_its_phases(contract, capsys):
    import json

    call_command("progress", "--json", "--today", "2026-03-01")
    rows = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["B-articles"]["phases"]["1"] == {"actual": None, "target": 10, "status": "not_measurable"}
    assert rows["A-premium"]["section"] == "A"


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.django_db
def test_a_target_that_requires_evidence_counts_only_records_that_carry_it(county, town, staff, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from muxiang.core.services import attach_evidence

    # given the premium-station target requires a photo, and 海流图 has no photo yet
    contract = load_contract(
        SAMPLE.replace('title = "精品站点不少于 2 个"', 'title = "精品站点不少于 2 个"\nevidence = ["photo"]')
    )
    station = premium_station("P-1", town, datetime.date(2026, 2, 1))
    day = datetime.date(2026, 3, 1)
    assert by_key(compute_progress(contract, today=day))["A-premium"].phases[0].actual == 0
    page = login(staff).get(f"/contracts/{contract.key}/targets/A-premium/").content.decode()
    assert station.name in page and "缺少佐证材料" in page
    # when its photo is uploaded
    attach_evidence(station, SimpleUploadedFile("站点照片.png", PNG), staff)
    # then it counts
    assert by_key(compute_progress(contract, today=day))["A-premium"].phases[0].actual == 1
