"""Issuing codes: a run of random codes stored in bulk for an enrolled producer, refused for one
that is not enrolled or for a silly count; duplicates are drawn again, also when two runs are issued
at the same moment (on PostgreSQL, from two connections)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from muxiang.trace import codes, services
from muxiang.trace.models import CodeRun, TraceCode
from muxiang.trace.services import issue_trace_codes


def test_a_run_stores_its_codes_in_issue_order(enterprise, staff):
    run = issue_trace_codes(enterprise.organisation, 1000, staff)
    stored = list(run.tracecode_set.order_by("serial").values_list("serial", "code", "state"))
    assert [s for s, _c, _st in stored] == list(range(1, 1001))
    assert all(codes.is_valid(c) and st == "issued" for _s, c, st in stored)
    assert run.count == 1000 and run.issued_by == staff and run.contract == enterprise.contract


def test_a_producer_not_enrolled_gets_no_codes(other_organisation, staff, contract):
    with pytest.raises(ValidationError, match="尚未入驻溯源体系"):
        issue_trace_codes(other_organisation, 10, staff)
    assert not CodeRun.objects.exists()


@pytest.mark.parametrize("count", [0, -5, services.MAX_RUN + 1])
def test_a_count_out_of_bounds_is_refused(enterprise, staff, count):
    with pytest.raises(ValidationError):
        issue_trace_codes(enterprise, count, staff)
    assert not TraceCode.objects.exists()


def test_the_client_supervisor_may_not_issue_codes(enterprise, client_supervisor):
    with pytest.raises(PermissionDenied):
        issue_trace_codes(enterprise, 10, client_supervisor)


def test_a_code_drawn_twice_is_drawn_again(enterprise, staff, monkeypatch):
    # given a first run, and a generator that first draws the very same codes again
    first = issue_trace_codes(enterprise, 50, staff)
    again = list(first.tracecode_set.values_list("code", flat=True))
    real = codes.generate
    draws = iter([again[:30] + real(20)])
    monkeypatch.setattr(codes, "generate", lambda n: next(draws, None) or real(n))
    # when
    second = issue_trace_codes(enterprise, 50, staff)
    # then every code is unique and the second run has its 50
    assert second.tracecode_set.count() == 50
    assert TraceCode.objects.values("code").distinct().count() == 100


@pytest.mark.django_db(transaction=True)
def test_two_runs_issued_at_once_from_two_connections_never_share_a_code(
    contract, organisation, staff, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    from muxiang.trace.models import Enterprise

    enterprise = Enterprise.objects.create(
        contract=contract, organisation=organisation, enrolled_on="2026-03-15", industry="肉羊"
    )
    # Both runs first draw the same 2,000 codes: the database must refuse one side's copies.
    shared = codes.generate(2000)
    real = codes.generate
    drawn_once = set()

    def generate(n):
        name = threading.current_thread().name
        if name not in drawn_once:
            drawn_once.add(name)
            return shared[:n]
        return real(n)

    monkeypatch.setattr(codes, "generate", generate)
    barrier = threading.Barrier(2)
    errors = []

    def issue():
        try:
            barrier.wait()
            issue_trace_codes(enterprise, 2000, staff)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, name=f"issuer-{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert TraceCode.objects.count() == 4000
    assert TraceCode.objects.values("code").distinct().count() == 4000
    assert [r.tracecode_set.count() for r in CodeRun.objects.all()] == [2000, 2000]


def test_the_command_issues_codes_to_a_producer_named_by_credit_code(enterprise):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "trace", "issue", "--producer", enterprise.organisation.credit_code, "--count", "25", stdout=out
    )
    assert "25" in out.getvalue()
    assert TraceCode.objects.count() == 25


def test_the_command_names_a_producer_it_does_not_know(contract):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="没有入驻溯源体系的企业"):
        call_command("trace", "issue", "--producer", "无名公司", "--count", "5")
