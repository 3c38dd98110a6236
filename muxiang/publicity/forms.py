from django import forms
from django.utils.translation import gettext_lazy as _

from muxiang.contracts.records import ContractRecordForm
from muxiang.publicity import services
from muxiang.publicity.models import Article, Billboard, BrochureDistribution, MediaCoverage, Video
from muxiang.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
URL = forms.URLInput(attrs={"placeholder": "https://"})


class RegionChoiceMixin:
    """A place is a town or village (苏木/嘎查 included), shown with its full path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("region")
        if field is not None:
            field.queryset = Region.objects.exclude(level="county")
            field.label_from_instance = lambda region: region.path


class NumberedForm:
    """A blank number is given the next one of the record's series (``services.next_number``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        return number or services.next_number(self._meta.model)


class ArticleForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "contract",
            "title",
            "channel",
            "account",
            "url",
            "published_on",
            "reads",
            "promotes_brand",
            "notes",
        ]
        widgets = {"published_on": DATE, "url": URL}
        error_messages = {"reads": {"min_value": _("阅读量不能为负数")}}


class ArticleReadsForm(forms.Form):
    """The one figure that changes after an article is published."""

    reads = forms.IntegerField(
        label=_("阅读量"),
        min_value=0,
        error_messages={"min_value": _("阅读量不能为负数"), "invalid": _("阅读量应为整数")},
    )


class MediaCoverageForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = MediaCoverage
        fields = ["contract", "level", "outlet", "title", "published_on", "url", "promotes_brand", "notes"]
        widgets = {"published_on": DATE, "url": URL}


class BillboardForm(ContractRecordForm, NumberedForm, RegionChoiceMixin, forms.ModelForm):
    class Meta:
        model = Billboard
        fields = ["contract", "number", "place", "region", "installed_on", "size", "content", "notes"]
        widgets = {"installed_on": DATE}


class BrochureDistributionForm(ContractRecordForm, NumberedForm, RegionChoiceMixin, forms.ModelForm):
    class Meta:
        model = BrochureDistribution
        fields = [
            "contract",
            "number",
            "title",
            "pages",
            "place",
            "region",
            "distributed_on",
            "audience",
            "notes",
        ]
        widgets = {"distributed_on": DATE}
        error_messages = {"pages": {"min_value": _("发放页数应大于 0")}}


class VideoForm(ContractRecordForm, forms.ModelForm):
    class Meta:
        model = Video
        fields = [
            "contract",
            "title",
            "kind",
            "platform",
            "url",
            "published_on",
            "views",
            "promotes_brand",
            "notes",
        ]
        widgets = {"published_on": DATE, "url": URL}
        error_messages = {"views": {"min_value": _("播放量不能为负数")}}
