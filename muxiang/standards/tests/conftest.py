import datetime

import pytest

from muxiang.standards.models import StandardAdoption, StandardVersion, TradeStandard

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today_is_pinned(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def standard(db):
    return TradeStandard.objects.create(
        title="乌拉特中旗羊肉网销流通标准", industry="肉羊", issuer="乌拉特中旗电子商务协会"
    )


def make_version(standard, number="T/WLTZQ 001—2026", version="V1.0", current=True, **extra):
    return StandardVersion.objects.create(
        standard=standard,
        number=number,
        version=version,
        effective_on=extra.pop("effective_on", datetime.date(2026, 3, 1)),
        is_current=current,
        **extra,
    )


def make_adoption(standard, organisation, since=datetime.date(2026, 4, 1), **extra):
    return StandardAdoption.objects.create(standard=standard, organisation=organisation, since=since, **extra)


@pytest.fixture
def records(standard, organisation):
    """One record of each ledger, keyed by its route prefix (``standards:<prefix>-detail``)."""
    return {
        "standard": standard,
        "version": make_version(standard),
        "adoption": make_adoption(standard, organisation),
    }
