"""What the ministry adapter contributes to the contract engine: the months whose project data was
delivered to the ministry platform, counted by the month they report on, with the file sent as
their evidence. (Contract 4.3's monthly data and work reports to the client are ``reports.monthly``,
measured by the reports app from the approved monthly reports.)"""

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.mofcom.choices import DeliveryKind, DeliveryState
from muxiang.mofcom.models import MinistryDelivery


def monthly_reports(window, params, contract):
    last = min(window.end, window.as_of)
    return MinistryDelivery.objects.filter(
        contract=contract, kind=DeliveryKind.MONTHLY, period__range=(window.start, last)
    )


@register("mofcom.monthly_deliveries")
def monthly_report_count(window, params, contract):
    """Months of the window whose project data was delivered to the platform."""
    return evidenced(
        monthly_reports(window, params, contract).filter(state=DeliveryState.DELIVERED), params
    ).count()


records_of("mofcom.monthly_deliveries")(monthly_reports)
