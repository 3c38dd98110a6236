"""Every list of the trace API costs the same queries for 3 records as for 30, and a station
manager is refused on every route of /api/trace/ (walked from the API's own schema)."""

import datetime
from decimal import Decimal

import pytest

from muxiang.api import api
from muxiang.core.testing import api_list_paths, assert_list_cost_is_constant
from muxiang.organisations.models import Organisation
from muxiang.supply.models import Product
from muxiang.trace.models import Batch, Certificate, CodeRun, Enterprise, ProductionBase, TraceEvent
from muxiang.trace.tests.conftest import at


@pytest.fixture
def build(contract, town, staff):
    def _build(first, count):
        for i in range(first, first + count):
            organisation = Organisation.objects.create(name=f"牧场{i}", kind="family_farm", region=town)
            enterprise = Enterprise.objects.create(
                contract=contract,
                organisation=organisation,
                enrolled_on=datetime.date(2026, 3, 1),
                industry="肉羊",
            )
            base = ProductionBase.objects.create(enterprise=enterprise, name=f"基地{i}", region=town)
            product = Product.objects.create(code=f"SP-{i:04d}", name=f"羊肉{i}", producer=organisation)
            batch = Batch.objects.create(
                enterprise=enterprise,
                product=product,
                base=base,
                lot=f"L{i}",
                produced_on=datetime.date(2026, 10, 1),
                quantity=Decimal(10),
            )
            Certificate.objects.create(
                batch=batch, kind="inspection_report", issuer="检测站", issued_on=datetime.date(2026, 10, 2)
            )
            TraceEvent.objects.create(
                batch=batch,
                step="shipping",
                occurred_at=at(datetime.date(2026, 10, 3), 9),
                place="冷库",
                recorded_by=staff,
            )
            CodeRun.objects.create(
                contract=contract,
                enterprise=enterprise,
                product=product,
                issued_on=datetime.date(2026, 10, 1),
                count=5,
                issued_by=staff,
            )

    return _build


@pytest.mark.parametrize("path", api_list_paths("/api/trace/"))
def test_every_trace_api_list_costs_the_same_queries_for_3_and_30_records(
    client, api_token, auditor, build, path
):
    assert_list_cost_is_constant(client, api_token(auditor), path, build)


def trace_operations():
    return [
        (path, method.upper())
        for path, operations in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/trace/")
        for method in operations
    ]


def test_a_station_manager_is_refused_on_every_trace_api_route(client, api_token, manager, build):
    build(0, 1)
    run = CodeRun.objects.get()
    headers = api_token(manager)
    operations = trace_operations()
    assert len(operations) >= 25
    for path, method in operations:
        url = path.replace("{pk}", str(run.pk))
        response = client.generic(method, url, "{}", content_type="application/json", **headers)
        assert response.status_code in (400, 403, 404, 422), (method, url, response.status_code)
    assert CodeRun.objects.count() == 1 and not TraceEvent.objects.filter(recorded_by=manager).exists()
