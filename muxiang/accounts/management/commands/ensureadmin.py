from django.core.management.base import BaseCommand

from muxiang.accounts.services import ensure_operator_admin


class Command(BaseCommand):
    help = "Create the operator admin on a fresh installation and print its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password = ensure_operator_admin(username)
        if password is None:
            self.stdout.write("运营方管理员已存在，未修改其密码。 (The operator admin already exists.)")
            return
        self.stdout.write(
            self.style.SUCCESS("已创建运营方管理员 (operator admin created) — 此密码只显示这一次:")
        )
        self.stdout.write(f"  登录名 login:    {username}")
        self.stdout.write(f"  密码 password:   {password}")
