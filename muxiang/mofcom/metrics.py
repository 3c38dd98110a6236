"""What the ministry adapter contributes to the contract engine: the monthly reports sent
(每月报送的数据信息, contract 4.3), counted by the month they report on, delivered, with the file
sent as their evidence."""

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.mofcom.choices import DeliveryKind, DeliveryState
from muxiang.mofcom.models import MinistryDelivery


def monthly_reports(window, params, contract):
    last = min(window.end, window.as_of)
    return MinistryDelivery.objects.filter(
        contract=contract, kind=DeliveryKind.MONTHLY, period__range=(window.start, last)
    )


@register("reports.monthly")
def monthly_report_count(window, params, contract):
    """Months of the window whose project data was delivered to the platform."""
    return evidenced(
        monthly_reports(window, params, contract).filter(state=DeliveryState.DELIVERED), params
    ).count()


records_of("reports.monthly")(monthly_reports)
