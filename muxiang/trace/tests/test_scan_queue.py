"""The scan queue behind the public page: a scan of a cached code touches no database; queued
scans are all written by the flush, once — even with scans arriving while it runs, a flush cut
short after its commit, or a line cut short by a crash; a change to the batch shows on the next
scan; and the far-apart rule compares distances when both scans have a position."""

import threading

import pytest

from muxiang.trace import scans
from muxiang.trace.anomalies import LIMITS, distance_km
from muxiang.trace.models import Scan, ScanAlert, ScanFlush, TraceCode
from muxiang.trace.services import bind_code_range, issue_trace_codes


@pytest.fixture
def roll(enterprise, batch, staff):
    run = issue_trace_codes(enterprise, 10, staff)
    serials = list(run.tracecode_set.order_by("serial").values_list("code", flat=True))
    bind_code_range(serials[0], serials[-1], batch, staff)
    return serials


def test_a_second_scan_of_a_code_is_answered_without_touching_the_database(
    client, roll, django_assert_num_queries
):
    client.get(f"/t/{roll[0]}")
    with django_assert_num_queries(0):
        page = client.get(f"/t/{roll[0]}").content.decode()
    assert "此码已被扫描 2 次" in page


def test_scans_queued_while_a_flush_runs_are_all_written_once(db):
    wanted = 4 * 300
    unknown = "0" * 16

    def consumer(n):
        for i in range(300):
            scans.queue_scan(
                scans.QueuedScan(
                    unknown, None, "unknown", scans.timezone.now(), client=f"c{n}", user_agent=str(i)
                )
            )

    phones = [threading.Thread(target=consumer, args=(n,)) for n in range(4)]
    for phone in phones:
        phone.start()
    written = 0
    while any(phone.is_alive() for phone in phones):
        written += scans.flush_scans()
    written += scans.flush_scans()
    assert written == wanted
    assert Scan.objects.count() == wanted
    assert sorted(Scan.objects.filter(client="c2").values_list("user_agent", flat=True)) == sorted(
        str(i) for i in range(300)
    )
    assert not list(scans.queue_dir().glob("*.flushing"))


def test_a_flush_cut_short_after_its_commit_does_not_write_the_scans_twice(client, roll, monkeypatch):
    client.get(f"/t/{roll[1]}")
    client.get(f"/t/{roll[1]}")
    real_unlink = scans.Path.unlink
    monkeypatch.setattr(scans.Path, "unlink", lambda self, *a, **k: (_ for _ in ()).throw(OSError("killed")))
    with pytest.raises(OSError):
        scans.flush_scans()
    monkeypatch.setattr(scans.Path, "unlink", real_unlink)
    assert scans.flush_scans() == 0  # the file is known as written: only removed
    assert Scan.objects.count() == 2 and TraceCode.objects.get(code=roll[1]).scan_count == 2
    assert ScanFlush.objects.get().scans == 2
    assert not list(scans.queue_dir().glob("*.flushing"))


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_others_written(client, roll):
    client.get(f"/t/{roll[2]}")
    with open(scans.queue_dir() / scans.JOURNAL, "ab") as journal:
        journal.write(b'["' + roll[2].encode() + b'", 1')  # the machine went down mid-line
    assert scans.flush_scans() == 1
    assert TraceCode.objects.get(code=roll[2]).scan_count == 1


def test_a_failed_flush_leaves_its_scans_for_the_next_one(client, roll, monkeypatch):
    client.get(f"/t/{roll[3]}")
    store = scans.store_scans
    monkeypatch.setattr(scans, "store_scans", lambda queued: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        scans.flush_scans()
    monkeypatch.setattr(scans, "store_scans", store)
    assert list(scans.queue_dir().glob("*.flushing"))
    assert scans.flush_scans() == 1 and Scan.objects.count() == 1


def test_an_edited_story_shows_on_the_next_scan(client, roll, batch, django_capture_on_commit_callbacks):
    client.get(f"/t/{roll[4]}")
    with django_capture_on_commit_callbacks(execute=True):
        batch.story = "今年的新草场，羊群第一次转场。"
        batch.save()
    assert "今年的新草场" in client.get(f"/t/{roll[4]}").content.decode()


def test_a_voided_code_says_so_on_the_next_scan(client, roll, staff, django_capture_on_commit_callbacks):
    from muxiang.trace.services import void_codes

    assert client.get(f"/t/{roll[5]}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        void_codes([roll[5]], "标签破损", staff)
    assert client.get(f"/t/{roll[5]}").status_code == 410


def test_the_distance_between_beijing_and_shanghai_is_about_1070_km():
    assert distance_km((39.9042, 116.4074), (31.2304, 121.4737)) == pytest.approx(1068, abs=5)


def test_two_scans_in_one_town_under_two_names_are_not_far_apart(client, roll):
    # 海流图镇 and 乌拉特中旗: the proxy's database names the same place two ways, 3 km apart.
    client.get(
        f"/t/{roll[6]}",
        HTTP_X_GEO_CITY="乌拉特中旗",
        HTTP_X_GEO_LATITUDE="41.5680",
        HTTP_X_GEO_LONGITUDE="108.5150",
    )
    client.get(
        f"/t/{roll[6]}",
        HTTP_X_GEO_CITY="海流图镇",
        HTTP_X_GEO_LATITUDE="41.5900",
        HTTP_X_GEO_LONGITUDE="108.5300",
    )
    scans.flush_scans()
    assert not ScanAlert.objects.filter(rule="far_apart").exists()
    assert Scan.objects.filter(latitude__isnull=False).count() == 2


def test_two_scans_a_thousand_km_apart_within_the_window_are_queued_with_the_distance(client, roll):
    client.get(f"/t/{roll[7]}", HTTP_X_GEO_LATITUDE="39.9042", HTTP_X_GEO_LONGITUDE="116.4074")
    client.get(
        f"/t/{roll[7]}",
        HTTP_X_GEO_CITY="上海",
        HTTP_X_GEO_LATITUDE="31.2304",
        HTTP_X_GEO_LONGITUDE="121.4737",
    )
    scans.flush_scans()
    alert = ScanAlert.objects.get(rule="far_apart")
    assert alert.code.code == roll[7] and "1,06" in alert.detail and "上海" in alert.detail
    assert LIMITS.far_apart_km < 1068


def test_without_positions_the_place_names_are_compared(client, roll):
    client.get(f"/t/{roll[8]}", HTTP_X_GEO_CITY="北京")
    client.get(
        f"/t/{roll[8]}", HTTP_X_GEO_CITY="北京", HTTP_X_GEO_LATITUDE="nonsense", HTTP_X_GEO_LONGITUDE="1"
    )
    scans.flush_scans()
    assert not ScanAlert.objects.filter(rule="far_apart").exists()
    assert Scan.objects.filter(latitude__isnull=False).count() == 0


def test_the_command_flushes_the_queue_of_this_machine(client, roll):
    from io import StringIO

    from django.core.management import call_command

    client.get(f"/t/{roll[9]}")
    out = StringIO()
    call_command("trace", "flush-scans", stdout=out)
    assert "已写入扫码记录 1 条" in out.getvalue() and Scan.objects.count() == 1
