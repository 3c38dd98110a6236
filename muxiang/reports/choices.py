from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """The reports the contract asks for, each of its own period:

    - 月度工作报告 (4.3: 每月定期报送本项目实施产生的相关数据信息及工作总结): one month, ``2026-10``;
    - 数据分析报告 (2.2: 12 份商贸流通数据分析报告): one month, ``2026-10``;
    - 培训分析报告 (3: 人才培养跟踪服务反馈分析): a phase (``第1阶段`` / ``phase-1``) or a date range
      (``2026-01-01..2026-06-30``);
    - 网商统计报告 (3: 每年统计全旗网商数量，与上年形成对比): one year, ``2026``.
    """

    MONTHLY = "monthly", _("月度工作报告")
    ANALYSIS = "analysis", _("数据分析报告")
    TRAINING = "training", _("培训分析报告")
    MERCHANTS = "merchants", _("网商统计报告")


class ReportStatus(models.TextChoices):
    """draft → submitted → approved; the client's supervisor may return a submitted report to
    draft with a reason. An approved report never changes: a correction is a new version."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已审定")
