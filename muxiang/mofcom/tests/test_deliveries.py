"""Deliveries to the ministry platform, against a local HTTP server standing in for it: retries with
exponential backoff and one idempotency key, failed deliveries kept and retried later, a delivered
period never sent twice, the file export, the monthly lock and the command that runs it all."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import timezone
from python_calamine import CalamineWorkbook

from muxiang.core.models import Evidence
from muxiang.mofcom import services
from muxiang.mofcom.choices import DeliveryKind, DeliveryState
from muxiang.mofcom.models import DeliveryAttempt, MinistryDelivery
from muxiang.mofcom.tests.conftest import OCTOBER, YESTERDAY
from muxiang.mofcom.transports import FileTransport, HttpTransport
from muxiang.operations.models import ReportMonth, StationDailyReport


def daily(staff, day=YESTERDAY, transport="http"):
    return services.schedule_delivery(DeliveryKind.DAILY, day, staff, transport)


def test_a_day_is_pushed_with_its_idempotency_key_and_every_stations_figures(
    http_settings, platform, staff, reported_day
):
    delivery = daily(staff)
    outcome = services.deliver(delivery, staff, sleep=lambda s: None)
    assert outcome.sent and outcome.delivery.state == DeliveryState.DELIVERED
    [(key, body)] = platform.requests
    assert key == str(delivery.idempotency_key)
    assert body["type"] == "daily" and body["period"] == "2026-11-27" and body["count"] == 2
    first = body["records"][0]
    assert first["station_code"] == "HLT-001" and first["proxy_selling_amount"] == "888.80"
    assert first["town"] == "海流图镇" and first["report_date"] == "2026-11-27"
    assert outcome.delivery.rows == 2 and outcome.delivery.response_status == 201


def test_failed_requests_are_retried_with_exponential_backoff_and_the_same_key(
    http_settings, platform, staff, reported_day
):
    # given a platform that answers 503, then drops the connection, then accepts
    platform.fail = [503, "drop"]
    waited = []
    # when
    outcome = services.deliver(daily(staff), staff, sleep=waited.append)
    # then the third attempt delivers, after waiting 2 s and then 4 s
    assert outcome.sent and outcome.attempts == 3
    assert waited == [2, 4]
    assert len(set(platform.keys)) == 1 and len(platform.stored) == 1
    log = list(outcome.delivery.attempt_log.values_list("outcome", "status_code"))
    assert log == [("failed", 503), ("failed", None), ("ok", 201)]


def test_a_delivery_that_keeps_failing_is_kept_and_due_again_later(
    http_settings, platform, staff, reported_day
):
    platform.fail = [500, 502, 503]
    delivery = daily(staff)
    outcome = services.deliver(delivery, staff, sleep=lambda s: None)
    # then it is kept, failed, due again in 300 s
    delivery.refresh_from_db()
    assert not outcome.sent and delivery.state == DeliveryState.RETRYING and delivery.attempts == 3
    assert "HTTP 503" in delivery.last_error
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 290 < wait <= 300
    # a run before then sends nothing
    assert services.run_pending(staff, sleep=lambda s: None).delivered == []
    assert len(platform.requests) == 3
    # a run after then delivers it, with the same key
    MinistryDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    summary = services.run_pending(staff, sleep=lambda s: None)
    assert [d.pk for d in summary.delivered] == [delivery.pk]
    assert set(platform.keys) == {str(delivery.idempotency_key)}


def test_the_wait_doubles_with_each_failed_run(http_settings, platform, staff, reported_day):
    delivery = daily(staff)
    waits = []
    for _run in range(3):
        platform.fail = [500, 500, 500]
        MinistryDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        services.deliver(delivery, staff, sleep=lambda s: None)
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 100))
    assert waits == [3, 6, 12]


def test_a_retry_of_data_the_platform_did_receive_is_not_stored_twice(
    http_settings, platform, staff, reported_day
):
    # given the platform stores the data but its answer is lost
    platform.fail = ["lost"]
    outcome = services.deliver(daily(staff), staff, sleep=lambda s: None)
    # then the retry carries the same key; the platform answers 409 and keeps one copy
    assert outcome.sent and outcome.delivery.response_status == 409
    assert len(platform.requests) == 2 and len(platform.stored) == 1


def test_a_delivered_day_is_never_sent_twice(http_settings, platform, staff, reported_day):
    delivery = daily(staff)
    services.deliver(delivery, staff, sleep=lambda s: None)
    # when it is scheduled again, run again, and delivered again
    assert daily(staff).pk == delivery.pk
    services.run_pending(staff, sleep=lambda s: None)
    again = services.deliver(delivery, staff, sleep=lambda s: None)
    # then nothing more went out
    assert not again.sent and len(platform.requests) == 1


def test_a_delivery_taken_by_another_run_is_left_to_it(http_settings, platform, staff, reported_day):
    delivery = daily(staff)
    MinistryDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, claimed_at=timezone.now()
    )
    assert not services.deliver(delivery, staff, sleep=lambda s: None).sent
    assert platform.requests == []
    # a claim left by a run that died is taken over after a quarter of an hour
    MinistryDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    assert services.run_pending(staff, sleep=lambda s: None).delivered[0].pk == delivery.pk


def test_a_platform_that_does_not_answer_is_a_failed_attempt_not_a_crash(settings, staff, reported_day):
    settings.MUXIANG_MOFCOM = {
        "transport": "http",
        "url": "http://127.0.0.1:9/nothing",
        "timeout": "1",
        "tries": "2",
    }
    outcome = services.deliver(daily(staff), staff, sleep=lambda s: None)
    assert not outcome.sent and outcome.delivery.state == DeliveryState.RETRYING
    assert "无法连接平台" in outcome.delivery.last_error
    assert DeliveryAttempt.objects.filter(delivery=outcome.delivery, outcome="failed").count() == 2


def test_the_file_transport_writes_a_workbook_for_manual_upload_and_keeps_it(
    file_settings, staff, reported_day, tmp_path
):
    delivery = daily(staff, transport="file")
    outcome = services.deliver(delivery, staff)
    assert outcome.sent
    path = tmp_path / "exports" / "daily-2026-11-27.xlsx"
    rows = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["站点编码", "站点名称", "站点级别"] and len(rows) == 3
    assert Evidence.objects.filter(object_id=delivery.pk, kind="document").count() == 1


def test_the_file_transport_writes_csv_with_a_bom(settings, staff, reported_day, tmp_path):
    transport = FileTransport(tmp_path, "csv")
    outcome = services.deliver(daily(staff, transport="file"), staff, transport=transport)
    data = (tmp_path / "daily-2026-11-27.csv").read_bytes()
    assert outcome.sent and data.startswith("\ufeff站点编码".encode())


def test_a_months_delivery_locks_its_daily_reports(http_settings, platform, staff, contract, station):
    from muxiang.mofcom.tests.conftest import report

    saved = report(station, datetime.date(2026, 10, 15))
    delivery = services.schedule_delivery(DeliveryKind.MONTHLY, OCTOBER, staff, "http", contract=contract)
    outcome = services.deliver(delivery, staff, sleep=lambda s: None)
    assert outcome.sent
    [(_key, body)] = platform.requests
    record = body["records"][0]
    assert (
        record["report_month"] == "2026-10" and record["daily_reports"] == 1 and record["stations_open"] == 1
    )
    assert ReportMonth.objects.get(month=OCTOBER).sent_at is not None
    assert "已锁定" in saved.frozen_problem()
    assert Evidence.objects.filter(object_id=delivery.pk).exists()  # what was sent, for the auditor


def test_the_platforms_field_names_come_from_one_configuration_file(
    http_settings, platform, staff, reported_day, tmp_path
):
    names = tmp_path / "fields.json"
    names.write_text(
        json.dumps(
            {"daily": {"station_code": "zdbm", "proxy_selling_amount": {"name": "dmje", "label": "代卖金额"}}}
        )
    )
    http_settings["fields"] = str(names)
    services.deliver(daily(staff), staff, sleep=lambda s: None)
    record = platform.requests[0][1]["records"][0]
    assert record["zdbm"] == "HLT-001" and record["dmje"] == "888.80" and "station_code" not in record


def test_an_unknown_field_in_the_configuration_is_refused(http_settings, tmp_path):
    from muxiang.mofcom.fields import fields_for

    names = tmp_path / "fields.json"
    names.write_text(json.dumps({"daily": {"station_cod": "zdbm"}}))
    http_settings["fields"] = str(names)
    with pytest.raises(ImproperlyConfigured, match="station_cod"):
        fields_for("daily")


def test_the_http_transport_sends_the_token(platform, staff, reported_day):
    transport = HttpTransport(platform.url, "secret-token", 5)
    captured = {}

    import urllib.request

    real = urllib.request.urlopen

    def spy(request, timeout=None):
        captured.update(request.headers)
        return real(request, timeout=timeout)

    urllib.request.urlopen = spy
    try:
        services.deliver(daily(staff), staff, transport=transport, sleep=lambda s: None)
    finally:
        urllib.request.urlopen = real
    assert captured["Authorization"] == "Bearer secret-token"


# --- scheduling and the command ------------------------------------------------------------------


def test_a_day_not_yet_over_cannot_be_scheduled(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未完整"):
        services.schedule_delivery(DeliveryKind.DAILY, datetime.date(2026, 11, 28), staff)
    with pytest.raises(ValidationError, match="尚未完整"):
        services.schedule_delivery(DeliveryKind.MONTHLY, datetime.date(2026, 11, 1), staff)


def test_schedule_due_takes_every_reported_day_and_complete_month_once(
    staff, contract, station, reported_day
):
    from muxiang.mofcom.tests.conftest import report

    report(station, datetime.date(2026, 11, 20))
    created = services.schedule_due(staff)
    references = sorted(d.reference for d in created)
    assert "daily-2026-11-20" in references and "daily-2026-11-27" in references
    assert "monthly-2026-10" in references and "monthly-2026-11" not in references
    assert "monthly-2025-12" not in references  # before the contract's first phase
    assert services.schedule_due(staff) == []


def test_the_command_schedules_and_sends_and_fails_loudly_but_keeps_what_failed(
    http_settings, platform, operator_admin, contract, reported_day
):
    http_settings["backoff"] = "0"  # the command sleeps for real between attempts
    platform.fail = [500] * 100
    with pytest.raises(CommandError, match="失败待重试"):
        call_command("mofcom_deliver", "--schedule", stdout=io.StringIO())
    assert (
        MinistryDelivery.objects.filter(state=DeliveryState.RETRYING).count()
        == MinistryDelivery.objects.count()
        > 0
    )
    # when the platform is back and the deliveries are due again
    platform.fail = []
    MinistryDelivery.objects.update(next_attempt_at=timezone.now())
    out = io.StringIO()
    call_command("mofcom_deliver", stdout=out)
    assert MinistryDelivery.objects.exclude(state=DeliveryState.DELIVERED).count() == 0
    assert "ok\tdaily-2026-11-27" in out.getvalue()


def test_a_delivery_that_was_attempted_cannot_be_deleted(login, staff, http_settings, platform, reported_day):
    from django.urls import reverse

    delivery = daily(staff)
    services.deliver(delivery, staff, sleep=lambda s: None)
    response = login(staff).post(reverse("mofcom:delivery-delete", args=[delivery.pk]), follow=True)
    assert "不能删除" in response.content.decode()
    assert MinistryDelivery.objects.filter(pk=delivery.pk).exists()


def test_a_daily_report_changed_after_its_day_was_delivered_is_not_sent_again(
    http_settings, platform, staff, reported_day, station
):
    services.deliver(daily(staff), staff, sleep=lambda s: None)
    StationDailyReport.objects.filter(station=station, day=YESTERDAY).update(parcels_sent=99)
    services.run_pending(staff, sleep=lambda s: None)
    assert len(platform.requests) == 1


def test_the_scheduled_push_runs_in_the_worker_in_the_operator_admins_name(
    http_settings, platform, operator_admin, contract, reported_day, django_capture_on_commit_callbacks
):
    from muxiang.jobs.choices import JobState
    from muxiang.jobs.services import start_system_job
    from muxiang.mofcom.jobs import DELIVER_JOB

    with django_capture_on_commit_callbacks(execute=True):
        job = start_system_job(DELIVER_JOB, "每日向商务部平台报送")

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.summary["报送成功"] == MinistryDelivery.objects.count() > 0
    assert job.summary["失败待重试"] == 0
    attempt = DeliveryAttempt.objects.first()
    assert MinistryDelivery.objects.filter(state=DeliveryState.DELIVERED).count() == job.summary["报送成功"]
    assert attempt is not None
