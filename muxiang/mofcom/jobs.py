"""The daily push to the ministry platform as background work: scheduled by the worker every morning
(``mofcom/tasks.py``) and startable from the deliveries page. Failed deliveries stay due for the
next run (``services.run_pending``): the job reports them, it does not retry them itself."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from muxiang.accounts.models import User
from muxiang.core import audit, permissions
from muxiang.jobs.registry import JobOutput, job_kind
from muxiang.mofcom import services

DELIVER_JOB = "mofcom.deliver"


def may_deliver(user, params) -> bool:
    return permissions.role_of(user) in permissions.OPERATOR_ROLES


def acting_operator(job):
    """Whoever started the job, or for the scheduled push the first operator admin: the audit trail
    names a person for every delivery."""
    if job.created_by_id:
        return job.created_by
    actor = User.objects.filter(role=permissions.Role.OPERATOR_ADMIN, is_active=True).order_by("pk").first()
    if actor is None:
        raise ValidationError(_("没有运营方管理员账号，无法报送（muxiang ensureadmin 创建）"))
    return actor


@job_kind(DELIVER_JOB, may_start=may_deliver)
def deliver_job(job, progress) -> JobOutput:
    actor = acting_operator(job)
    with audit.change_context(user=actor, source="mofcom"):
        scheduled = services.schedule_due(actor)
        progress(0, None, _("已安排 %(n)d 项报送，正在发送") % {"n": len(scheduled)})
        summary = services.run_pending(actor)
    return JobOutput(
        summary={
            "新安排": len(scheduled),
            "报送成功": len(summary.delivered),
            "失败待重试": len(summary.failed),
        }
    )
