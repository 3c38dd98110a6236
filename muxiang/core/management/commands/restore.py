from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from muxiang.core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `muxiang backup`: checks every SHA-256 first, refuses a database "
        "that holds records unless --force, replaces the database in one transaction, writes the files "
        "back and compares the record counts. Stop the web server and the worker first. "
        "`--verify-only` checks the archive and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive (.zip) written by `muxiang backup`")
        parser.add_argument("--force", action="store_true", help="overwrite a database that holds records")
        parser.add_argument("--verify-only", action="store_true", help="check the hashes only; write nothing")

    def handle(self, *args, archive, force=False, verify_only=False, **options):
        path = Path(archive)
        try:
            if verify_only:
                manifest, problems = verify_backup(path)
                if problems:
                    raise CommandError("备份文件校验未通过 (verification failed)：\n" + "\n".join(problems))
                self.stdout.write(
                    self.style.SUCCESS(
                        f"校验通过 (verified)：{manifest['created_at']} 的备份，数据库 "
                        f"{manifest['database']['method']}，{manifest['records']} 条记录，"
                        f"{len(manifest['files'])} 个文件"
                    )
                )
                return
            summary = restore_backup(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 (restored)：数据库 {summary.method}，{summary.records} 条记录；"
                f"文件写回 {summary.files_written} 个，已存在且一致 {summary.files_unchanged} 个"
                + ("；已运行 migrate 升级到当前版本" if summary.migrated else "")
            )
        )
        if summary.count_mismatches:
            raise CommandError(
                "恢复后的记录数与备份清单不符 (record counts differ)：\n"
                + "\n".join(summary.count_mismatches)
            )
