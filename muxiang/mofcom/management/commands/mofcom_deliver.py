"""Send what is due to the ministry platform; run it from cron or a timer every hour or so.

    muxiang mofcom_deliver              # send the due deliveries (pending, failed and due again)
    muxiang mofcom_deliver --schedule   # first schedule every complete day and month not yet scheduled
    muxiang mofcom_deliver --list       # only list what is due

A delivery that fails is retried with exponential backoff within the run and kept, due again after
a longer backoff, for the next run; none is dropped and none delivered is sent twice.
"""

from django.core.management.base import BaseCommand, CommandError

from muxiang.accounts.models import User
from muxiang.core import audit
from muxiang.core.permissions import Role
from muxiang.mofcom import services


class Command(BaseCommand):
    help = "Send the due deliveries to the ministry platform (商务部业务系统统一平台)."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="schedule complete days and months first")
        parser.add_argument(
            "--list", action="store_true", dest="list_only", help="list the due deliveries and send nothing"
        )
        parser.add_argument("--limit", type=int, default=None, help="send at most this many")
        parser.add_argument(
            "--user", default="", help="the operator account the audit trail names (default: the first admin)"
        )

    def handle(self, *args, schedule, list_only, limit, user, **options):
        actor = self._actor(user)
        with audit.change_context(user=actor, source="mofcom"):
            if schedule:
                created = services.schedule_due(actor)
                self.stdout.write(f"已安排 {len(created)} 项报送 (scheduled {len(created)})")
            if list_only:
                for delivery in services.due_deliveries():
                    self.stdout.write(
                        f"{delivery.reference}\t{delivery.get_state_display()}\t{delivery.attempts}"
                    )
                return
            summary = services.run_pending(actor, limit=limit)
        for delivery in summary.delivered:
            self.stdout.write(f"ok\t{delivery.reference}")
        for delivery in summary.failed:
            self.stdout.write(f"failed\t{delivery.reference}\t{delivery.last_error[:120]}")
        if summary.failed:
            raise CommandError(summary.message)
        self.stdout.write(self.style.SUCCESS(summary.message))

    def _actor(self, username: str):
        if username:
            found = User.objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"no user {username!r}")
            return found
        found = User.objects.filter(role=Role.OPERATOR_ADMIN, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError("no operator admin: create one (muxiang ensureadmin) or pass --user")
        return found
