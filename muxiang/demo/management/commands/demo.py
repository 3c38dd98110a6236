from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from muxiang.demo.services import DemoConflict, load_demo_contract, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the Urad Middle Banner demo data set (regions, stations, organisations, people and one "
        "login per role) once; print the new logins' passwords that one time. A second run changes nothing."
    )

    def handle(self, *args, **options):
        try:
            summary = load_demo_data(timezone.localdate())
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        contract, contract_loaded = load_demo_contract(timezone.localdate())
        if contract_loaded:
            phases = "；".join(f"第 {p.number} 阶段 {p.start}–{p.end}" for p in contract.phases.all())
            self.stdout.write(
                self.style.SUCCESS(f"已加载示例合同 (demo contract loaded): {contract.name}（{phases}）")
            )
        counts = summary.counts
        if summary.loaded:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已加载示例数据 (demo data loaded): {counts['towns']} 个镇/苏木、{counts['villages']} 个村/嘎查"
                    f"（其中出列村 {counts['exited_poverty_villages']} 个）、{counts['stations']} 个站点、"
                    f"{counts['organisations']} 个组织、{counts['people']} 名人员。"
                )
            )
        else:
            self.stdout.write(
                "示例数据已加载，未做任何修改。 (The demo data set is already loaded; nothing changed.)"
            )
        if any(login.password for login in summary.logins):
            self.stdout.write(self.style.SUCCESS("示例登录账号 (demo logins) — 密码只显示这一次:"))
        for login in summary.logins:
            where = f"，站点 {login.station}" if login.station else ""
            if login.password:
                self.stdout.write(
                    f"  {login.role}（{login.full_name}{where}）  登录名 login: {login.username}"
                    f"  密码 password: {login.password}"
                )
            else:
                self.stdout.write(
                    f"  {login.role}（{login.full_name}{where}）  登录名 login: {login.username}"
                    "  已存在，未修改其密码。 (already exists)"
                )
