import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from muxiang.contracts.dossier import build_dossier
from muxiang.contracts.management.commands.contract import pick_contract
from muxiang.contracts.models import Phase


class Command(BaseCommand):
    help = (
        "Build the acceptance dossier (验收材料包) of one phase: index.xlsx, index.pdf, evidence, manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contract", help="contract key (optional when one contract is loaded)")
        parser.add_argument("--phase", type=int, required=True)
        parser.add_argument("--out", help="ZIP file to write (default: <key>-phase-<N>-dossier-<date>.zip)")
        parser.add_argument("--today", help="measure as of this date (YYYY-MM-DD)")

    def handle(self, *args, contract=None, phase, out=None, today=None, **options):
        chosen = pick_contract(contract)
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today 应为日期：{today}") from exc
        if not chosen.phases.filter(number=phase).exists():
            numbers = "、".join(str(n) for n in chosen.phases.values_list("number", flat=True))
            raise CommandError(f"合同 {chosen.key} 没有第 {phase} 阶段（已有：{numbers}）(no such phase)")
        path = Path(out or f"{chosen.key}-phase-{phase}-dossier-{day:%Y%m%d}.zip")
        if path.suffix.lower() != ".zip":
            raise CommandError(f"--out 应为 .zip 文件：{path}")
        # Written beside the target and renamed at the end: a failed build never leaves a
        # half-written ZIP under the name someone may hand to the acceptance panel.
        handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent.resolve())
        try:
            with os.fdopen(handle, "wb") as stream:
                summary = build_dossier(chosen, phase, stream, today=day)
            os.chmod(partial, 0o644)
            os.replace(partial, path)
        except (Phase.DoesNotExist, OSError) as exc:
            Path(partial).unlink(missing_ok=True)
            raise CommandError(f"无法生成验收材料包：{exc}") from exc
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        for problem in summary.missing:
            self.stderr.write(f"缺失（未打包）: {problem}")
        for problem in summary.changed:
            self.stderr.write(f"与登记的 SHA-256 不一致: {problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {path}：第 {summary.phase} 阶段，{summary.targets} 项绩效目标、"
                f"{summary.obligations} 项履约事项、{summary.evidence_files - len(summary.missing)} 份佐证文件，"
                f"共 {len(summary.manifest)} 个文件，{filesizeformat(path.stat().st_size)}（统计日期 {summary.as_of}）"
            )
        )
