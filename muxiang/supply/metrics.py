"""What the supply chain contributes to the contract engine (section 2.1).

- ``supply.client_businesses``: the distinct client businesses that received a unified delivery
  (统一配送) in the window. The delivery is the record that proves a business was served: the
  goods of a centralised purchase reach it by a delivery, the stock kept for it leaves the
  warehouse by one, and each is dated, routed and signed for. A purchase-order line alone is a
  need, not yet a service, so it does not count by itself.
- ``supply.systematic_services``: the distinct organisations given a systematic service in the
  window.
- ``supply.supply_chains``: the supply chains integrated in the window (the target is cumulative:
  from the contract's start).

Only live records dated in the window (local dates, both ends included) count, and with the
target's evidence requirement only those carrying it (``evidenced``).
"""

from django.db.models import Count

from muxiang.contracts.engine import evidenced, records_of, register
from muxiang.supply.models import Delivery, SupplyChain, SystematicService


def _dated(queryset, window, field: str):
    return queryset.filter(**window.date_filter(field))


def client_deliveries(window, params, contract):
    queryset = Delivery.objects.filter(contract=contract, client__isnull=False)
    return _dated(queryset, window, "delivered_on").select_related("client", "warehouse")


@register("supply.client_businesses")
def client_businesses(window, params, contract):
    """Distinct client businesses that received a delivery in the window."""
    return evidenced(client_deliveries(window, params, contract), params).aggregate(
        n=Count("client", distinct=True)
    )["n"]


records_of("supply.client_businesses")(client_deliveries)


def systematic_services(window, params, contract):
    queryset = SystematicService.objects.filter(contract=contract)
    return _dated(queryset, window, "provided_on").select_related("organisation")


@register("supply.systematic_services")
def systematic_service_recipients(window, params, contract):
    """Distinct local enterprises, cooperatives or large growers given a systematic service."""
    return evidenced(systematic_services(window, params, contract), params).aggregate(
        n=Count("organisation", distinct=True)
    )["n"]


records_of("supply.systematic_services")(systematic_services)


def supply_chains(window, params, contract):
    return _dated(SupplyChain.objects.filter(contract=contract), window, "integrated_on")


@register("supply.supply_chains")
def supply_chain_count(window, params, contract):
    """County supply chains integrated in the window."""
    return evidenced(supply_chains(window, params, contract), params).count()


records_of("supply.supply_chains")(supply_chains)
