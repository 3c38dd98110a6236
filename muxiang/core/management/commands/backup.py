from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from muxiang.core.backup import METHODS, BackupError, backup_file_name, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive (.zip) with the database and every stored file, and a manifest of record "
        "counts and SHA-256 hashes. `muxiang backup [FILE] [--method auto|native|dumpdata]`; without "
        "FILE the archive goes to MUXIANG_BACKUP_DIR. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="where to write the archive (.zip)")
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="auto",
            help="auto: SQLite backup API / pg_dump when available, else dumpdata; native: refuse "
            "dumpdata; dumpdata: portable JSON lines (moves SQLite to PostgreSQL)",
        )

    def handle(self, *args, archive=None, method="auto", **options):
        path = Path(archive) if archive else Path(settings.MUXIANG_BACKUP_DIR) / backup_file_name()
        if path.suffix.lower() != ".zip":
            raise CommandError(f"备份文件名应以 .zip 结尾：{path} (the archive is a .zip)")
        try:
            summary = create_backup(path, method=method)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份 (backed up) {path}：数据库 {summary.method}，{summary.records} 条记录，"
                f"{summary.files} 个文件（{filesizeformat(summary.file_bytes)}），"
                f"备份文件 {filesizeformat(path.stat().st_size)}"
            )
        )
