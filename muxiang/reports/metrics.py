"""What the reports contribute to the contract engine: the approved reports of a kind whose period
begins in the window (4.3 monthly data and work reports, 2.2 data analysis reports). A period
counts once however many versions of it were approved; with the target's evidence requirement only
reports carrying it count (the submitted PDF is kept as their 文件资料)."""

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.reports.choices import ReportKind, ReportStatus
from muxiang.reports.models import Report


def _approved(kind, window, contract):
    last = min(window.end, window.as_of)
    return Report.objects.filter(
        contract=contract, kind=kind, status=ReportStatus.APPROVED, period_start__range=(window.start, last)
    )


def approved_monthly(window, params, contract):
    return _approved(ReportKind.MONTHLY, window, contract)


def approved_analyses(window, params, contract):
    return _approved(ReportKind.ANALYSIS, window, contract)


@register("reports.monthly")
def monthly_report_count(window, params, contract):
    """Months of the window whose monthly work report the client approved."""
    return evidenced(approved_monthly(window, params, contract), params).values("period").distinct().count()


@register("reports.data_analysis")
def data_analysis_count(window, params, contract):
    """Data analysis reports on the trade network approved by the client, one per month."""
    return evidenced(approved_analyses(window, params, contract), params).values("period").distinct().count()


records_of("reports.monthly")(approved_monthly)
records_of("reports.data_analysis")(approved_analyses)
