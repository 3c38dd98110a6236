import datetime
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from muxiang.contracts.management.commands.contract import pick_contract
from muxiang.reports.choices import ReportKind
from muxiang.reports.figures import build_figures
from muxiang.reports.periods import parse_period
from muxiang.reports.render import render_pdf, render_xlsx

FORMATS = ("pdf", "xlsx")


class Command(BaseCommand):
    help = (
        "Write a report from the records as PDF or .xlsx: monthly (月度工作报告), analysis (数据分析报告), "
        "training (培训分析报告), merchants (网商统计报告). The file only: the report's life (draft, "
        "submit, approve) is on the reports page."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="monthly | analysis | training | merchants")
        parser.add_argument("--contract", help="contract key (optional when one contract is loaded)")
        parser.add_argument(
            "--period",
            required=True,
            help="2026-10 (monthly, analysis); phase-1 or 2026-01-01..2026-06-30 "
            "(training); 2026 (merchants)",
        )
        parser.add_argument("--out", help="file to write (default: <key>-<kind>-<period>.<format>)")
        parser.add_argument("--format", choices=FORMATS, help="pdf or xlsx (default: from --out, else pdf)")
        parser.add_argument("--today", help="measure as of this date (YYYY-MM-DD)")

    def handle(self, *args, kind, contract=None, period, out=None, format=None, today=None, **options):
        if kind not in ReportKind.values:
            raise CommandError(
                f"未知的报告类型「{kind}」，应为 monthly、analysis、training 或 merchants (unknown kind)"
            )
        chosen = pick_contract(contract)
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today 应为日期 YYYY-MM-DD：{today}") from exc
        try:
            span = parse_period(kind, period, chosen)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " (bad --period)") from exc
        if span.start > day:
            raise CommandError(f"报告期间 {span.label} 尚未开始 (period not started)")
        suffix = Path(out).suffix.lower().lstrip(".") if out else ""
        chosen_format = format or (suffix if suffix in FORMATS else "pdf")
        if out and suffix != chosen_format:
            raise CommandError(f"--out 的扩展名应为 .{chosen_format}：{out}")
        path = Path(out or f"{chosen.key}-{kind}-{span.text.replace('..', '_')}.{chosen_format}")
        snapshot = build_figures(kind, chosen, span, day)
        render = render_pdf if chosen_format == "pdf" else render_xlsx
        data = render(snapshot, {})
        # Written beside the target and renamed: a failure never leaves half a file under its name.
        try:
            handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent.resolve())
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(partial, 0o644)
            os.replace(partial, path)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {path}：{chosen.name} {span.label}{ReportKind(kind).label}"
                f"（统计日期 {snapshot['as_of']}，{filesizeformat(len(data))}）"
            )
        )
