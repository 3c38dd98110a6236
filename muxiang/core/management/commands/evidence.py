from django.core.management.base import BaseCommand, CommandError

from muxiang.core.services import verify_evidence_files


class Command(BaseCommand):
    help = "Evidence files: `muxiang evidence verify` re-hashes every file and lists changed or missing ones."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="re-hash every stored evidence file against its recorded SHA-256")

    def handle(self, *args, action, **options):
        checked = bad = 0
        for check in verify_evidence_files():
            checked += 1
            if check.status == "ok":
                continue
            bad += 1
            evidence = check.evidence
            label = {"missing": "缺失 missing", "changed": "已被修改 changed"}[check.status]
            self.stdout.write(
                f"{label}\t#{evidence.pk}\t{evidence.file.name}\t{evidence.original_name}\t"
                f"{evidence.content_type.app_label}.{evidence.content_type.model}#{evidence.object_id}"
            )
        summary = f"共检查 {checked} 个文件，{bad} 个有问题 (checked {checked}, problems {bad})"
        if bad:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
