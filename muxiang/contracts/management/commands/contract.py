import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from muxiang.contracts.catalogue import CATALOGUE
from muxiang.contracts.engine import is_measurable
from muxiang.contracts.loader import ContractInvalid
from muxiang.contracts.models import Contract
from muxiang.contracts.services import lint_contract, load_contract
from muxiang.core.audit import change_context


def pick_contract(key: str | None) -> Contract:
    if key:
        contract = Contract.objects.filter(key=key).first()
        if contract is None:
            raise CommandError(f"没有标识为「{key}」的合同 (no contract {key!r})")
        return contract
    contracts = list(Contract.objects.all()[:2])
    if not contracts:
        raise CommandError("尚未加载合同：muxiang contract load FILE (no contract loaded)")
    if len(contracts) > 1:
        raise CommandError("已加载多份合同，请用 --contract 指定 (several contracts: give --contract KEY)")
    return contracts[0]


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Command(BaseCommand):
    help = "Contracts: load FILE [--start DATE] | show [--json] | lint | metrics"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="validate and load a contract file (TOML)")
        load.add_argument("file")
        load.add_argument("--start", help="first day of phase 1 (YYYY-MM-DD) when the file gives months")
        show = sub.add_parser("show", help="print the loaded targets")
        show.add_argument("--contract")
        show.add_argument("--json", action="store_true")
        lint = sub.add_parser("lint", help="report phase figures that disagree with the contract total")
        lint.add_argument("--contract")
        sub.add_parser("metrics", help="list every metric a contract may name")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_load(self, file, start=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file} (no such file)")
        try:
            day = datetime.date.fromisoformat(start) if start else None
        except ValueError as exc:
            raise CommandError(f"--start 应为日期，如 2025-03-01：{start}") from exc
        try:
            with change_context(source="cli"):
                contract = load_contract(path.read_text(encoding="utf-8"), start=day)
        except ContractInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(f"合同文件有 {len(exc.problems)} 处问题，未加载 (not loaded)") from exc
        phases = ", ".join(f"{p.number}: {p.start}–{p.end}" for p in contract.phases.all())
        self.stdout.write(
            self.style.SUCCESS(
                f"已加载合同 {contract.key}：{contract.targets.count()} 项绩效目标、"
                f"{contract.obligations.count()} 项履约事项；阶段 {phases}"
            )
        )

    def handle_show(self, contract=None, json=False, **options):
        chosen = pick_contract(contract)
        targets = [
            {
                "key": t.key,
                "section": t.section,
                "title": t.title,
                "unit": t.unit,
                "phases": {str(pt.phase.number): _number(pt.value) for pt in t.phase_targets.all()},
                "total": _number(t.total),
                "metric": t.metric,
            }
            for t in chosen.targets.prefetch_related("phase_targets__phase")
        ]
        if json:
            import json as json_module

            self.stdout.write(json_module.dumps(targets, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{chosen.name} ({chosen.key})")
        for item in targets:
            phases = " / ".join(f"{k}:{v}" for k, v in item["phases"].items()) or "—"
            self.stdout.write(
                f"  {item['section']:>5} {item['key']:<32} {phases:<28} 合计 {item['total']} {item['unit']}"
            )

    def handle_lint(self, contract=None, **options):
        chosen = pick_contract(contract)
        findings = lint_contract(chosen)
        for finding in findings:
            self.stdout.write(str(finding))
        self.stdout.write(f"{len(findings)} 处不一致 (findings)")

    def handle_metrics(self, **options):
        for name, spec in sorted(CATALOGUE.items()):
            state = "可计量" if is_measurable(name) else "暂无法计量"
            params = ",".join(spec.params)
            self.stdout.write(f"{name:<36} {spec.kind:<9} {state:<6} {params:<16} {spec.description}")
