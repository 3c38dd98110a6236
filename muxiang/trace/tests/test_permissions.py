"""The trace ledgers are the operator's: staff write, the client supervisor reads, a station manager
reaches nothing, an anonymous visitor is sent to log in — except the consumer's public page."""

import pytest
from django.urls import get_resolver, reverse

from muxiang.trace.models import TraceCode
from muxiang.trace.services import issue_trace_codes

REFUSED = {403, 404}


def trace_routes():
    _prefix, resolver = get_resolver().namespace_dict["trace"]
    return [(p.name, "pk" in p.pattern.converters) for p in resolver.url_patterns]


@pytest.fixture
def records(enterprise, batch, staff):
    run = issue_trace_codes(enterprise, 5, staff)
    return {"run": run, "enterprise": enterprise, "batch": batch}


def url_of(name, takes_pk, records):
    if not takes_pk:
        return reverse(f"trace:{name}")
    prefix = name.split("-")[0]
    record = records.get(prefix) or records["run"]
    return reverse(f"trace:{name}", args=[record.pk])


def test_an_anonymous_visitor_is_sent_to_login_from_every_trace_route(client, records):
    for name, takes_pk in trace_routes():
        if name.startswith("alert-review"):
            continue
        response = client.get(url_of(name, takes_pk, records))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_a_station_manager_reaches_nothing_of_the_trace_system(login, manager, records):
    client = login(manager)
    for name, takes_pk in trace_routes():
        if takes_pk and name.startswith(("alert",)):
            continue
        response = client.get(url_of(name, takes_pk, records))
        assert response.status_code in REFUSED | {405}, (name, response.status_code)
    response = client.post(reverse("trace:issue"), {"enterprise": records["enterprise"].pk, "count": 5})
    assert response.status_code in REFUSED and TraceCode.objects.count() == 5


def test_the_client_supervisor_reads_the_lists_but_issues_nothing(login, client_supervisor, records):
    client = login(client_supervisor)
    for name in ("enterprise-list", "batch-list", "run-list", "scan-list", "alert-list", "event-list"):
        assert client.get(reverse(f"trace:{name}")).status_code == 200, name
    assert client.get(reverse("trace:run-detail", args=[records["run"].pk])).status_code == 200
    response = client.post(reverse("trace:issue"), {"enterprise": records["enterprise"].pk, "count": 5})
    assert response.status_code == 403 and TraceCode.objects.count() == 5


def test_staff_issue_bind_and_void_through_the_pages(login, staff, records, batch):
    client = login(staff)
    response = client.post(reverse("trace:issue"), {"enterprise": records["enterprise"].pk, "count": 30})
    run = records["run"].__class__.objects.order_by("-pk").first()
    assert response.status_code == 302 and run.count == 30
    roll = list(run.tracecode_set.order_by("serial").values_list("code", flat=True))
    page = client.post(
        reverse("trace:run-bind", args=[run.pk]),
        {"bind-batch": batch.pk, "bind-first": roll[0], "bind-last": roll[9]},
        follow=True,
    ).content.decode()
    assert "已将 10 个溯源码绑定到批次" in page
    page = client.post(
        reverse("trace:run-bind", args=[run.pk]),
        {"bind-batch": batch.pk, "bind-listed": roll[5]},
        follow=True,
    ).content.decode()
    assert "已绑定或已作废" in page
    page = client.post(
        reverse("trace:run-void", args=[run.pk]),
        {"void-first": roll[0], "void-reason": "标签破损"},
        follow=True,
    ).content.decode()
    assert "已作废 1 个溯源码" in page


def test_a_silly_count_on_the_issue_page_is_refused_in_chinese(login, staff, records):
    response = login(staff).post(reverse("trace:issue"), {"enterprise": records["enterprise"].pk, "count": 0})
    assert response.status_code == 400 and "确保该值大于或等于1" in response.content.decode()


def test_the_batch_list_costs_the_same_for_3_or_30_batches(
    login, staff, batch, django_assert_max_num_queries
):
    client = login(staff)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("trace:batch-list")).status_code == 200
