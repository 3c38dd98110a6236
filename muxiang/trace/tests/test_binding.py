"""Binding and voiding: a roll is bound by its first and last label (either end first), or a list;
a code already bound or voided, a code of another producer, an unknown or mistyped code are each
refused with a message that names them, and a refusal leaves every code as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from muxiang.trace import codes
from muxiang.trace.models import Batch, TraceCode
from muxiang.trace.services import bind_code_range, bind_codes, issue_trace_codes, void_codes


@pytest.fixture
def roll(enterprise, staff):
    run = issue_trace_codes(enterprise, 100, staff)
    return list(run.tracecode_set.order_by("serial").values_list("code", flat=True))


def states():
    return dict(TraceCode.objects.values_list("code", "state"))


def test_a_roll_is_bound_from_its_first_to_its_last_label(roll, batch, staff):
    bound = bind_code_range(roll[10], roll[39], batch, staff)
    assert bound == 30
    assert set(TraceCode.objects.filter(batch=batch).values_list("serial", flat=True)) == set(range(11, 41))
    # the binding is on the batch's record, with who did it
    event = batch.events.get()
    assert event.step == "packing" and event.recorded_by == staff and "30" in event.description


def test_the_roll_may_be_scanned_from_its_last_label_first(roll, batch, staff):
    assert bind_code_range(codes.grouped(roll[20]).lower(), roll[0], batch, staff) == 21


def test_binding_a_range_with_a_bound_code_binds_nothing_and_names_it(roll, batch, staff):
    bind_codes([roll[5]], batch, staff)
    before = states()
    with pytest.raises(ValidationError) as refused:
        bind_code_range(roll[0], roll[9], batch, staff)
    assert roll[5] in refused.value.messages[0] and "已绑定" in refused.value.messages[0]
    assert states() == before


def test_a_voided_code_cannot_be_bound(roll, batch, staff):
    void_codes([roll[3]], "标签破损", staff)
    with pytest.raises(ValidationError, match="已作废"):
        bind_codes([roll[2], roll[3]], batch, staff)
    assert TraceCode.objects.get(code=roll[2]).state == "issued"


def test_a_mistyped_code_is_named(roll, batch, staff):
    typo = roll[0][:-1] + ("0" if roll[0][-1] != "0" else "1")
    with pytest.raises(ValidationError, match="不是有效的溯源码"):
        bind_codes([typo], batch, staff)


def test_an_unknown_code_is_named(roll, batch, staff):
    stranger = codes.generate(1)[0]
    with pytest.raises(ValidationError, match=f"不存在：{stranger}"):
        bind_code_range(roll[0], stranger, batch, staff)


def test_codes_of_two_runs_are_not_a_range(roll, enterprise, batch, staff):
    other = issue_trace_codes(enterprise, 5, staff).tracecode_set.first().code
    with pytest.raises(ValidationError, match="不属于同一发码记录"):
        bind_code_range(roll[0], other, batch, staff)


def test_codes_of_another_producer_are_not_bound_to_this_batch(roll, other_enterprise, product, staff):
    foreign = Batch.objects.create(
        enterprise=other_enterprise,
        product=product,
        lot="B-1",
        produced_on=datetime.date(2026, 9, 1),
        quantity=Decimal(10),
    )
    with pytest.raises(ValidationError, match="不能绑定到"):
        bind_codes(roll[:2], foreign, staff)


def test_voiding_needs_a_reason_and_refuses_codes_voided_already(roll, batch, staff):
    with pytest.raises(ValidationError, match="作废原因"):
        void_codes([roll[0]], " ", staff)
    bind_code_range(roll[0], roll[9], batch, staff)
    assert void_codes([roll[0]], "召回", staff, last=roll[4]) == 5
    with pytest.raises(ValidationError, match="已作废"):
        void_codes([roll[4], roll[5]], "召回", staff)
    assert TraceCode.objects.get(code=roll[5]).state == "bound"


def test_on_a_runs_page_a_code_of_the_producers_other_run_is_named_and_nothing_bound(
    login, staff, enterprise, batch
):
    this_run = issue_trace_codes(enterprise, 5, staff)
    other_run = issue_trace_codes(enterprise, 5, staff)
    mine = list(this_run.tracecode_set.order_by("serial").values_list("code", flat=True))
    stray = other_run.tracecode_set.order_by("serial").values_list("code", flat=True)[0]
    client = login(staff)
    page = client.post(
        f"/trace/runs/{this_run.pk}/bind/",
        {"bind-batch": batch.pk, "bind-listed": f"{mine[0]}\n{stray}"},
        follow=True,
    ).content.decode()
    assert f"溯源码 {stray} 不属于本发码记录" in page
    page = client.post(
        f"/trace/runs/{this_run.pk}/void/", {"void-first": stray, "void-reason": "标签破损"}, follow=True
    ).content.decode()
    assert f"溯源码 {stray} 不属于本发码记录" in page
    assert set(states().values()) == {"issued"}


def test_a_range_reaching_into_another_run_is_refused_for_the_run_acted_on(enterprise, batch, staff):
    this_run = issue_trace_codes(enterprise, 5, staff)
    other = list(issue_trace_codes(enterprise, 5, staff).tracecode_set.values_list("code", flat=True))
    with pytest.raises(ValidationError, match="不属于本发码记录"):
        bind_code_range(other[0], other[1], batch, staff, run=this_run)
    with pytest.raises(ValidationError, match="不属于本发码记录"):
        void_codes([other[0]], "破损", staff, last=other[1], run=this_run)
    assert set(states().values()) == {"issued"}


def test_the_api_binds_only_codes_of_the_run_in_its_path(client, api_token, staff, enterprise, batch):
    import json

    this_run = issue_trace_codes(enterprise, 5, staff)
    stray = issue_trace_codes(enterprise, 5, staff).tracecode_set.values_list("code", flat=True)[0]
    response = client.post(
        f"/api/trace/runs/{this_run.pk}/bind",
        json.dumps({"batch": batch.pk, "codes": [stray]}),
        content_type="application/json",
        **api_token(staff),
    )
    assert response.status_code == 400 and stray in response.json()["detail"]
