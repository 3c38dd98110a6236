import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muxiang.contracts.services import load_contract
from muxiang.regions.models import Region
from muxiang.stations.models import Station

SAMPLE = (Path(__file__).parent / "data" / "sample-county.toml").read_text(encoding="utf-8")


def add_towns_with_premium_stations(county, start, count):
    towns = Region.objects.bulk_create(
        Region(name=f"镇{i}", level="town", parent=county, path=f"{county.path}/镇{i}")
        for i in range(start, start + count)
    )
    Station.objects.bulk_create(
        Station(
            code=f"T-{i}",
            name=f"站{i}",
            level="town",
            region=town,
            status="active",
            opened_on=datetime.date(2026, 1, 5),
            is_premium=True,
        )
        for i, town in enumerate(towns, start=start)
    )


def dashboard_queries(client, key):
    client.get(f"/contracts/{key}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/contracts/{key}/")
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_dashboards_query_count_does_not_grow_with_the_records(login, client_supervisor, county):
    contract = load_contract(SAMPLE)
    client = login(client_supervisor)
    add_towns_with_premium_stations(county, 0, 5)
    few = dashboard_queries(client, contract.key)
    add_towns_with_premium_stations(county, 5, 50)
    many = dashboard_queries(client, contract.key)
    assert few == many
