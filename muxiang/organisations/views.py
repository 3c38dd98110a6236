from django.utils.translation import gettext_lazy as _

from muxiang.core.views import ListColumn, RecordViewSet
from muxiang.organisations.filters import OrganisationFilter
from muxiang.organisations.forms import OrganisationForm
from muxiang.organisations.ledgers import OrganisationLedger
from muxiang.organisations.models import Organisation


class OrganisationViewSet(RecordViewSet):
    model = Organisation
    namespace = "organisations"
    form_class = OrganisationForm
    filterset_class = OrganisationFilter
    ledger_class = OrganisationLedger
    select_related = ("region", "station")
    list_columns = [
        ListColumn(_("名称"), "name"),
        ListColumn(_("类型"), "kind"),
        ListColumn(_("统一社会信用代码"), "credit_code"),
        ListColumn(_("所在区域"), lambda o, u: o.region.name if o.region_id else ""),
        ListColumn(_("对接站点"), lambda o, u: o.station.name if o.station_id else ""),
        ListColumn(_("联系人"), "contact_name"),
        ListColumn(_("联系电话"), "contact_phone"),
    ]
