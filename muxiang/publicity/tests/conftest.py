import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from muxiang.contracts.services import load_contract
from muxiang.core import services as core_services
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video

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


@pytest.fixture(autouse=True)
def _not_after_the_sample_phases(monkeypatch):
    """The tests' dates are in 2026; "today" is pinned after them so none is in the future."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.fixture
def contract(db):
    return load_contract(SAMPLE.read_text(encoding="utf-8"))


def screenshot(name="截图.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def attach_screenshot(record, by, kind="screenshot"):
    return core_services.attach_evidence(record, screenshot(), by, "后台截图", kind=kind)


def make_article(contract, n=1, day=IN_PHASE_1, **extra):
    values = {
        "title": f"牧乡好物第{n}期：乌拉特中旗羊肉走进直播间",
        "channel": "wechat",
        "account": "乌拉特中旗电商",
        "url": f"https://mp.weixin.qq.com/s/article-{n}",
        "published_on": day,
        "reads": 1000,
        **extra,
    }
    return Article.objects.create(contract=contract, **values)


def make_coverage(contract, n=1, day=IN_PHASE_1, **extra):
    values = {
        "level": "provincial",
        "outlet": "内蒙古日报",
        "title": f"电商进牧区（{n}）",
        "published_on": day,
        "url": f"https://www.nmgrb.com.cn/news/{n}.html",
        **extra,
    }
    return MediaCoverage.objects.create(contract=contract, **values)


def make_billboard(contract, n=1, day=IN_PHASE_1, **extra):
    values = {"number": f"GGP-{n:03d}", "place": "G7 京新高速海流图出口", "installed_on": day, **extra}
    return Billboard.objects.create(contract=contract, **values)


def make_brochure(contract, n=1, day=IN_PHASE_1, pages=400, **extra):
    values = {
        "number": f"CY-{n:03d}",
        "title": "电商服务进牧区",
        "pages": pages,
        "place": "海流图镇那达慕会场",
        "distributed_on": day,
        **extra,
    }
    return BrochureDistribution.objects.create(contract=contract, **values)


def make_video(contract, n=1, day=IN_PHASE_1, **extra):
    values = {
        "title": "乌拉特中旗区域公共品牌宣传片",
        "kind": "promo",
        "platform": "微信视频号",
        "url": f"https://channels.weixin.qq.com/v/{n}",
        "published_on": day,
        "views": 500,
        **extra,
    }
    # A brand film always promotes the brand (a constraint; forms and imports set it).
    values.setdefault("promotes_brand", values["kind"] == "brand_promo")
    return Video.objects.create(contract=contract, **values)


@pytest.fixture
def phase_1_accepted(contract):
    """Phase 1 signed off by the client (the workflow itself is tested in contracts): its records
    are frozen."""
    from muxiang.contracts.choices import AcceptanceState
    from muxiang.contracts.models import PhaseAcceptance

    phase = contract.phases.get(number=1)
    PhaseAcceptance.objects.create(phase=phase, state=AcceptanceState.ACCEPTED)
    return phase


@pytest.fixture
def records(contract, town):
    """One record of each ledger, keyed by its route prefix (``publicity:<prefix>-detail``)."""
    return {
        "article": make_article(contract),
        "coverage": make_coverage(contract),
        "billboard": make_billboard(contract, region=town),
        "brochure": make_brochure(contract, region=town),
        "video": make_video(contract),
    }
