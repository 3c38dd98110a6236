import datetime

import pytest

from muxiang.network.models import Outlet

OPENED = datetime.date(2026, 2, 1)


def make_outlet(code, region, operator, status="active", opened_on=OPENED, **values):
    defaults = {"name": f"{region.name}便民服务点", "kind": "post"}
    return Outlet.objects.create(
        code=code,
        region=region,
        operator=operator,
        status=status,
        opened_on=opened_on,
        **{**defaults, **values},
    )


@pytest.fixture
def contract(county):
    from pathlib import Path

    from muxiang.contracts.services import load_contract

    sample = Path(__file__).resolve().parents[2] / "contracts" / "tests" / "data" / "sample-county.toml"
    contract = load_contract(sample.read_text(encoding="utf-8"))
    contract.county = county
    contract.save()
    return contract
