"""Sample reports for the demo: the last three months of phase 1 each with an approved monthly work
report and an approved data analysis report — built from the demo's records like any report, with
their PDF kept as evidence — so that the dashboard's 4.3 and 2.2 report targets show progress; and
last month's monthly report as a draft waiting for its text."""

import datetime

from muxiang.reports.choices import ReportKind, ReportStatus
from muxiang.reports.figures import build_figures
from muxiang.reports.models import Report
from muxiang.reports.periods import month_period
from muxiang.reports.services import previous_month, render_files, snapshot_sha256

APPROVED_MONTHS = 3
PROBLEMS = "部分村级站点日报迟报；个别站点代卖商品品类单一。"
PLAN = "开展村级站点一对一指导；组织产销对接会，扩大代卖品类。"


def _months_back(last: datetime.date, count: int):
    months, year, month = [], last.year, last.month
    for _i in range(count):
        months.append(month_period(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def seed(demo) -> dict[str, int]:
    from muxiang.accounts.models import User

    staff = User.objects.filter(username="demo-staff").first()
    client = User.objects.filter(username="demo-client").first()
    phase_1 = demo.phase(1)
    approved = []
    for period in _months_back(min(phase_1.end, demo.today), APPROVED_MONTHS):
        for kind in (ReportKind.MONTHLY, ReportKind.ANALYSIS):
            texts = {"problems": PROBLEMS, "plan": PLAN} if kind == ReportKind.MONTHLY else {}
            snapshot = build_figures(kind, demo.contract, period, demo.today)
            built = demo.moment(period.end + datetime.timedelta(days=2), 10)
            report = Report.objects.create(
                contract=demo.contract,
                kind=kind,
                period=period.text,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                status=ReportStatus.APPROVED,
                snapshot=snapshot,
                snapshot_sha256=snapshot_sha256(snapshot),
                created_by=staff,
                built_at=built,
                built_by=staff,
                submitted_at=built,
                submitted_by=staff,
                approved_at=demo.moment(period.end + datetime.timedelta(days=5), 15),
                approved_by=client,
                **texts,
            )
            render_files(report)
            report.save(update_fields=["pdf", "xlsx"])
            approved.append(report)
    from muxiang.demo.services import attach_demo_file

    # The PDF submitted is a report's evidence (文件资料), as ``services.submit_report`` keeps it.
    for report in approved:
        with report.pdf.open("rb") as handle:
            data = handle.read()
        attach_demo_file(
            [report],
            report.pdf.name.rsplit("/", 1)[-1],
            data,
            "application/pdf",
            ".pdf",
            str(report),
            "document",
        )
    last_month = previous_month(demo.today)
    drafts = 0
    if not Report.objects.filter(
        contract=demo.contract, kind=ReportKind.MONTHLY, period=last_month.text
    ).exists():
        Report.objects.create(
            contract=demo.contract,
            kind=ReportKind.MONTHLY,
            period=last_month.text,
            period_label=last_month.label,
            period_start=last_month.start,
            period_end=last_month.end,
            created_by=staff,
        )
        drafts = 1
    return {"approved_reports": len(approved), "draft_reports": drafts}
