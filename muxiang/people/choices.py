from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKind(models.TextChoices):
    OPERATOR_STAFF = "operator_staff", _("运营团队")
    STATION_MANAGER = "station_manager", _("站点负责人")
    TRAINEE = "trainee", _("学员")
    CONTACT = "contact", _("联系人")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
