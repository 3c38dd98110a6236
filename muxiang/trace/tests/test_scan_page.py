"""The consumer's page of a code: no login, the batch's public story and "scanned N times, first on
<date> in <place>"; a voided, unbound or unknown code said plainly and logged; scans queued and
written by the worker's flush (``scans.flush_scans``), counted there, the anomaly rules applied to
the flushed scans; the GS1 Digital Link answered where product and lot match; rate-limited per
client."""

import pytest
from django.db.models import F

from muxiang.core.services import attach_evidence
from muxiang.trace import codes, views
from muxiang.trace.anomalies import LIMITS
from muxiang.trace.models import Scan, ScanAlert, TraceCode
from muxiang.trace.scans import flush_scans
from muxiang.trace.services import bind_code_range, issue_trace_codes, void_codes
from muxiang.trace.tests.conftest import photo


@pytest.fixture
def roll(enterprise, batch, staff):
    run = issue_trace_codes(enterprise, 20, staff)
    serials = list(run.tracecode_set.order_by("serial").values_list("code", flat=True))
    bind_code_range(serials[0], serials[9], batch, staff)
    return serials


def test_an_anonymous_consumer_sees_the_story_of_the_batch(client, roll, batch, staff):
    attach_evidence(batch, photo(), staff, kind="photo")
    response = client.get(f"/t/{roll[0]}", HTTP_X_GEO_CITY="内蒙古呼和浩特")
    page = response.content.decode()
    assert response.status_code == 200
    for shown in [
        "乌拉特羊肉",
        "海流图牧歌合作社",
        "巴音哈太牧场",
        "乌拉特中旗羊肉",
        "2026年10月20日",
        "L20261020",
    ]:
        assert shown in page
    assert "此码已被扫描 1 次，首次于 " in page and "在 内蒙古呼和浩特" in page
    photo_url = page.split('<img src="')[1].split('"')[0]
    assert client.get(photo_url).status_code == 200


def test_the_page_exposes_nothing_but_the_public_story(client, roll, batch, organisation):
    page = client.get(f"/T/{roll[1]}").content.decode()
    for private in [organisation.credit_code, "天然牧草", "绑定溯源码", "3200"]:
        assert private not in page


def test_each_scan_is_counted_and_the_first_place_kept(client, roll):
    client.get(f"/t/{roll[2]}", HTTP_X_GEO_CITY="北京")
    page = client.get(f"/t/{codes.grouped(roll[2]).lower()}", HTTP_X_GEO_CITY="北京").content.decode()
    assert "此码已被扫描 2 次" in page and "在 北京" in page
    assert TraceCode.objects.get(code=roll[2]).scan_count == 0  # queued, not yet written
    assert flush_scans() == 2
    code = TraceCode.objects.get(code=roll[2])
    assert code.scan_count == 2 and code.first_scan_place == "北京"
    assert Scan.objects.filter(code=code).count() == 2


@pytest.mark.parametrize(
    ("which", "status", "said", "rule"),
    [
        ("voided", 410, "此溯源码已作废", "after_voiding"),
        ("unbound", 200, "此溯源码尚未启用", "before_binding"),
    ],
)
def test_a_voided_or_unbound_code_is_said_plainly_and_queued_for_review(
    client, roll, staff, which, status, said, rule
):
    code = roll[0] if which == "voided" else roll[15]
    if which == "voided":
        void_codes([code], "标签破损", staff)
    response = client.get(f"/t/{code}")
    assert response.status_code == status and said in response.content.decode()
    flush_scans()
    assert Scan.objects.get().outcome == which
    assert ScanAlert.objects.get().rule == rule


def test_an_unknown_code_is_said_plainly_and_logged(client, roll):
    stranger = codes.generate(1)[0]
    response = client.get(f"/t/{stranger}")
    assert response.status_code == 404 and "查无此码" in response.content.decode()
    flush_scans()
    assert Scan.objects.get().asked == stranger and Scan.objects.get().code is None


def test_many_unknown_codes_from_one_client_are_queued_as_guessing(client, roll):
    for guess in codes.generate(LIMITS.guessing_unknown):
        client.get(f"/t/{guess}")
    flush_scans()
    alert = ScanAlert.objects.get(rule="guessing")
    assert alert.code is None and alert.client


def test_scans_far_apart_in_a_short_time_are_queued_and_nothing_is_voided(client, roll):
    client.get(f"/t/{roll[3]}", HTTP_X_GEO_CITY="广东深圳")
    client.get(f"/t/{roll[3]}", HTTP_X_GEO_CITY="内蒙古呼和浩特")
    flush_scans()
    assert ScanAlert.objects.get(rule="far_apart").code.code == roll[3]
    assert TraceCode.objects.get(code=roll[3]).state == "bound"


def test_a_code_scanned_too_often_is_queued(client, roll):
    TraceCode.objects.filter(code=roll[4]).update(scan_count=F("scan_count") + LIMITS.too_many_scans)
    client.get(f"/t/{roll[4]}")
    client.get(f"/t/{roll[4]}")
    flush_scans()
    alert = ScanAlert.objects.get(rule="too_many_scans")
    assert alert.hits == 2


def test_the_digital_link_answers_when_product_and_lot_match(client, roll, product):
    ok = client.get(f"/01/{product.gtin}/10/L20261020/21/{roll[5]}")
    assert ok.status_code == 200 and "乌拉特羊肉" in ok.content.decode()
    wrong_lot = client.get(f"/01/{product.gtin}/10/L19990101/21/{roll[5]}")
    assert wrong_lot.status_code == 404


def test_a_client_scanning_too_fast_is_slowed_down(client, roll, monkeypatch):
    monkeypatch.setattr(views, "SCANS_PER_MINUTE", 3)
    statuses = [client.get(f"/t/{roll[6]}").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    flush_scans()
    assert Scan.objects.count() == 3


def test_the_page_is_light_and_reads_the_story_from_the_cache(client, roll, django_assert_max_num_queries):
    client.get(f"/t/{roll[7]}")
    with django_assert_max_num_queries(12):
        response = client.get(f"/t/{roll[7]}")
    assert len(response.content) < 12_000
