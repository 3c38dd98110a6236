import datetime

from django.core.management.base import BaseCommand, CommandError

from muxiang.contracts.engine import compute_progress
from muxiang.contracts.management.commands.contract import _number, pick_contract


def progress_rows(contract, today=None) -> list[dict]:
    rows = []
    for item in compute_progress(contract, today):
        rows.append(
            {
                "key": item.target.key,
                "section": item.target.section,
                "phases": {
                    str(p.phase): {
                        "actual": _number(p.actual),
                        "target": _number(p.target),
                        "status": p.status,
                    }
                    for p in item.phases
                },
                "overall": {
                    "actual": _number(item.overall.actual),
                    "target": _number(item.overall.target),
                    "status": item.overall.status,
                },
            }
        )
    return rows


class Command(BaseCommand):
    help = "Print every target's progress per phase (actual, target, status)."

    def add_arguments(self, parser):
        parser.add_argument("--contract")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--today", help="measure as of this date (YYYY-MM-DD)")

    def handle(self, *args, contract=None, json=False, today=None, **options):
        chosen = pick_contract(contract)
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today 应为日期：{today}") from exc
        rows = progress_rows(chosen, day)
        if json:
            import json as json_module

            self.stdout.write(json_module.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            phases = "  ".join(
                f"{n}:{p['actual']}/{p['target']} {p['status']}" for n, p in row["phases"].items()
            )
            self.stdout.write(f"{row['section']:>5} {row['key']:<32} {phases}")
