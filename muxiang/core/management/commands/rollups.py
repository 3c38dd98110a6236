from django.core.management.base import BaseCommand, CommandError

from muxiang.core import rollups


class Command(BaseCommand):
    help = (
        "Stored figures (rollups): `muxiang rollups check` lists any that differ from the raw records; "
        "`muxiang rollups rebuild` recomputes them all (idempotent, in one transaction)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "check", help="compare every stored figure with the raw records; exit 1 on a difference"
        )
        sub.add_parser("rebuild", help="recompute every stored figure from the raw records")

    def handle(self, *args, action, **options):
        if action == "rebuild":
            corrected = rollups.rebuild_all()
            for name, count in corrected.items():
                self.stdout.write(f"{name}\t{count}")
            total = sum(corrected.values())
            self.stdout.write(
                self.style.SUCCESS(f"已重算全部汇总，更正 {total} 项 (rebuilt, {total} keys corrected)")
            )
            return
        bad = 0
        for report in rollups.check_all():
            for key, (stored, computed) in sorted(report.differences.items(), key=lambda item: str(item[0]))[
                :20
            ]:
                self.stdout.write(f"{report.name}\t{key}\tstored {stored}\tcomputed {computed}")
            if len(report.differences) > 20:
                self.stdout.write(f"{report.name}\t… {len(report.differences) - 20} more")
            self.stdout.write(f"{report.name}\t{len(report.differences)} differences")
            bad += len(report.differences)
        summary = f"共 {bad} 项汇总与原始记录不符 ({bad} differences)"
        if bad:
            raise CommandError(summary + "；请运行 muxiang rollups rebuild")
        self.stdout.write(self.style.SUCCESS(summary))
