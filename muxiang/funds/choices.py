from django.db import models
from django.utils.translation import gettext_lazy as _


class FundFlagKind(models.TextChoices):
    """Why a funds record would not pass the yearly audit (第六条 6) as it stands."""

    MISSING_INVOICE = "missing_invoice", _("缺少发票")
    FEW_QUOTATIONS = "few_quotations", _("询价记录不足")
