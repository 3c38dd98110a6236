from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingTopic(models.TextChoices):
    """What a session teaches: the courses of contract 3 (产品包装、摄影美工、直播带货、网店运营),
    the trade standard of 2.4 (网销标准化) and the rest of an e-commerce curriculum."""

    PACKAGING = "packaging", _("产品包装")
    PHOTOGRAPHY = "photography", _("摄影美工")
    LIVE_SELLING = "live_selling", _("直播带货")
    SHOP_OPERATION = "shop_operation", _("网店运营")
    STANDARDS = "standards", _("网销标准化")
    MARKETING = "marketing", _("营销推广")
    LOGISTICS = "logistics", _("仓储物流")
    POLICY = "policy", _("政策解读")
    OTHER = "other", _("其他")


class TrainingAudience(models.TextChoices):
    """Whom a session is for (contract 3.3: 政府、企业、农民、驻村第一书记、返乡大学生等; contract 3:
    返乡农民工、退伍军人、合作社社员). A session may address several."""

    GOVERNMENT = "government", _("政府工作人员")
    ENTERPRISE = "enterprise", _("企业")
    FARMERS_HERDERS = "farmers_herders", _("农牧民")
    FIRST_SECRETARY = "first_secretary", _("驻村第一书记")
    RETURNED_STUDENT = "returned_student", _("返乡大学生")
    RETURNED_WORKER = "returned_worker", _("返乡农民工")
    VETERAN = "veteran", _("退役军人")
    COOPERATIVE = "cooperative", _("合作社成员")
    STATION_MANAGER = "station_manager", _("站点负责人")


class TrainingLevel(models.TextChoices):
    """普及培训 teaches the basics to many; 增值培训 (advanced, value-added) goes deeper with fewer
    people. The contract wants 500 of the 1,500 person-times to be advanced."""

    BASIC = "basic", _("普及培训")
    ADVANCED = "advanced", _("增值培训")


class VisitMethod(models.TextChoices):
    VISIT = "visit", _("上门走访")
    PHONE = "phone", _("电话回访")
    ONLINE = "online", _("线上回访")
