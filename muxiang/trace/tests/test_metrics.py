"""The trace figures: codes issued per phase, counted from the issuing runs that carry the issue
list and the invoice (a run on the last day of phase 1 counts there, the next day's does not), and
the enterprises enrolled by the window's end, each once, with their enrolment document."""

import datetime

from muxiang.contracts.engine import EVIDENCE_PARAM, RECORDS, REGISTRY, Window, measure
from muxiang.core.services import attach_evidence
from muxiang.trace.models import CodeRun, Enterprise
from muxiang.trace.services import issue_trace_codes
from muxiang.trace.tests.conftest import FIRST_DAY_OF_PHASE_2, LAST_DAY_OF_PHASE_1, TODAY, document

PHASE_1 = Window(datetime.date(2026, 1, 1), LAST_DAY_OF_PHASE_1, LAST_DAY_OF_PHASE_1)
PHASE_2 = Window(FIRST_DAY_OF_PHASE_2, datetime.date(2026, 12, 31), TODAY)
FROM_START = Window(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), TODAY)
CODES = {EVIDENCE_PARAM: ("document", "invoice")}
ENTERPRISES = {EVIDENCE_PARAM: ("document",)}


def evidenced_run(enterprise, staff, count, day):
    run = issue_trace_codes(enterprise, count, staff, issued_on=day)
    attach_evidence(run, document(), staff, kind="document")
    attach_evidence(run, document("印刷发票.pdf"), staff, kind="invoice")
    return run


def test_both_metrics_are_registered_with_their_records():
    for name in ("trace.codes", "trace.enterprises"):
        assert name in REGISTRY and name in RECORDS


def test_codes_count_in_the_phase_of_their_run_day(contract, enterprise, staff):
    evidenced_run(enterprise, staff, 300, LAST_DAY_OF_PHASE_1)
    evidenced_run(enterprise, staff, 200, FIRST_DAY_OF_PHASE_2)
    assert measure("trace.codes", PHASE_1, CODES, contract) == 300
    assert measure("trace.codes", PHASE_2, CODES, contract) == 200


def test_a_run_without_its_invoice_does_not_count(contract, enterprise, staff):
    run = issue_trace_codes(enterprise, 100, staff, issued_on=LAST_DAY_OF_PHASE_1)
    attach_evidence(run, document(), staff, kind="document")
    assert measure("trace.codes", PHASE_1, CODES, contract) == 0
    assert list(RECORDS["trace.codes"](PHASE_1, {}, contract)) == [run]


def test_enterprises_count_once_each_by_the_end_of_the_window(contract, enterprise, other_enterprise, staff):
    attach_evidence(enterprise, document("入驻协议.pdf"), staff, kind="document")
    assert measure("trace.enterprises", FROM_START, ENTERPRISES, contract) == 1
    attach_evidence(other_enterprise, document("入驻协议.pdf"), staff, kind="document")
    assert measure("trace.enterprises", FROM_START, ENTERPRISES, contract) == 2
    Enterprise.objects.filter(pk=other_enterprise.pk).update(enrolled_on=FIRST_DAY_OF_PHASE_2)
    assert measure("trace.enterprises", PHASE_1, ENTERPRISES, contract) == 1
    assert not CodeRun.objects.exists()
