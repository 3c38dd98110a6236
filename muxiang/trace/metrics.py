"""What the trace system contributes to the contract engine (section 2.4 二).

- ``trace.codes``: codes issued in the window, summed over the issuing runs (``CodeRun``) dated in
  it — the runs carry the evidence (the issue list and the label printing invoice), the codes are
  millions of rows and carry none.
- ``trace.enterprises``: producers enrolled by the window's end (the target is cumulative: the
  engine gives the window from the contract's start), each organisation once.
"""

from django.db.models import Count, Sum

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.trace.models import CodeRun, Enterprise


@records_of("trace.codes")
def code_runs(window, params, contract):
    return CodeRun.objects.filter(contract=contract, **window.date_filter("issued_on")).select_related(
        "enterprise__organisation"
    )


@register("trace.codes")
def issued_codes(window, params, contract):
    """Codes issued in the window, by runs carrying the evidence the target requires."""
    return evidenced(code_runs(window, params, contract), params).aggregate(n=Sum("count"))["n"] or 0


@records_of("trace.enterprises")
def enterprises(window, params, contract):
    return Enterprise.objects.filter(contract=contract, **window.date_filter("enrolled_on")).select_related(
        "organisation"
    )


@register("trace.enterprises")
def enrolled_enterprises(window, params, contract):
    """Distinct organisations enrolled in the window (from the contract's start for a cumulative
    target), each with its enrolment document when the target requires it."""
    counted = evidenced(enterprises(window, params, contract), params)
    return counted.aggregate(n=Count("organisation", distinct=True))["n"]
