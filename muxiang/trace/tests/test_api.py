"""The trace API: batches and events through the shared record routes, runs issued, bound and
voided through their own routes with the same rules and refusals as the pages; a station manager
reaches nothing."""

import json

from muxiang.trace.models import CodeRun, TraceCode, TraceEvent


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_staff_issue_bind_and_void_through_the_api(client, api_token, staff, enterprise, batch):
    headers = api_token(staff)
    response = post(client, "/api/trace/runs/", {"enterprise": enterprise.pk, "count": 20}, headers)
    assert response.status_code == 201, response.content
    run = CodeRun.objects.get(pk=response.json()["id"])
    roll = list(run.tracecode_set.order_by("serial").values_list("code", flat=True))
    bound = post(
        client,
        f"/api/trace/runs/{run.pk}/bind",
        {"batch": batch.pk, "first": roll[0], "last": roll[4]},
        headers,
    )
    assert bound.status_code == 200 and bound.json() == {"count": 5}
    again = post(client, f"/api/trace/runs/{run.pk}/bind", {"batch": batch.pk, "codes": [roll[2]]}, headers)
    assert again.status_code == 400 and "已绑定" in again.json()["detail"]
    voided = post(client, f"/api/trace/runs/{run.pk}/void", {"reason": "破损", "codes": roll[:2]}, headers)
    assert voided.json() == {"count": 2}
    assert TraceCode.objects.filter(state="voided").count() == 2


def test_a_bad_count_is_refused_in_chinese(client, api_token, staff, enterprise):
    response = post(client, "/api/trace/runs/", {"enterprise": enterprise.pk, "count": 0}, api_token(staff))
    assert response.status_code == 400 and "发码数量" in response.json()["detail"]


def test_an_event_recorded_through_the_api_names_who_recorded_it(client, api_token, staff, batch):
    body = {
        "batch": batch.pk,
        "step": "shipping",
        "occurred_at": "2026-10-25T09:00:00+08:00",
        "place": "冷库",
    }
    response = post(client, "/api/trace/events/", body, api_token(staff))
    assert response.status_code == 201, response.content
    assert TraceEvent.objects.get(pk=response.json()["id"]).recorded_by == staff


def test_a_station_manager_reaches_nothing_of_the_trace_api(client, api_token, manager, enterprise, batch):
    headers = api_token(manager)
    assert client.get("/api/trace/batches/", **headers).status_code == 403
    assert client.get("/api/trace/runs/", **headers).status_code == 403
    assert post(
        client, "/api/trace/runs/", {"enterprise": enterprise.pk, "count": 5}, headers
    ).status_code in (
        400,
        403,
    )
    assert not TraceCode.objects.exists()
