from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100, help_text=_("例如：数据同步脚本"))


class UserAccountForm(forms.ModelForm):
    """What the operator admin sets for a login: who it is, the role and, for a manager, the station."""

    class Meta:
        from muxiang.accounts.models import User

        model = User
        fields = ["username", "full_name", "phone", "role", "station", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _("登录名：字母、数字或 @ . + - _")

    def clean(self):
        cleaned = super().clean()
        from muxiang.core.permissions import Role

        if cleaned.get("role") == Role.STATION_MANAGER and not cleaned.get("station"):
            self.add_error("station", _("站点负责人必须指定所属站点"))
        if cleaned.get("role") != Role.STATION_MANAGER:
            cleaned["station"] = None
        return cleaned
