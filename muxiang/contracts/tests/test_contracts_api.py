from pathlib import Path

import pytest

from muxiang.contracts.services import load_contract

SAMPLE = (Path(__file__).parent / "data" / "sample-county.toml").read_text(encoding="utf-8")


@pytest.fixture
def contract(county):
    return load_contract(SAMPLE)


@pytest.mark.django_db
def test_the_client_reads_every_targets_progress_through_the_api(
    client, client_supervisor, api_token, contract
):
    response = client.get(
        f"/api/contracts/{contract.key}/progress?today=2026-03-01", **api_token(client_supervisor)
    )
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()}
    assert rows["B-articles"]["phases"]["1"] == {"actual": None, "target": 10.0, "status": "not_measurable"}
    assert rows["B-articles"]["overall"]["target"] == 25


@pytest.mark.django_db
def test_the_contract_list_gives_each_contract_its_phases(client, staff, api_token, contract):
    body = client.get("/api/contracts/", **api_token(staff)).json()
    assert body[0]["key"] == contract.key and [p["number"] for p in body[0]["phases"]] == [1, 2]


@pytest.mark.django_db
def test_a_station_manager_gets_no_contract_progress_from_the_api(client, manager, api_token, contract):
    assert client.get("/api/contracts/", **api_token(manager)).status_code == 403
    assert client.get(f"/api/contracts/{contract.key}/progress", **api_token(manager)).status_code == 403


@pytest.mark.django_db
def test_an_unknown_contract_is_404_in_the_api(client, staff, api_token):
    assert client.get("/api/contracts/nope/progress", **api_token(staff)).status_code == 404
