"""The home page: what the programme's registry holds today and how coverage stands."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from muxiang.core import permissions
from muxiang.organisations.models import Organisation
from muxiang.people.models import Person
from muxiang.regions.models import Region
from muxiang.stations.models import Station
from muxiang.stations.services import compute_coverage


@login_required
def home(request):
    user = request.user
    stations = permissions.scope(Station.objects.all(), user).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status="active")),
        premium=Count("pk", filter=Q(is_premium=True)),
    )
    county = Region.objects.filter(level="county").order_by("path").first()
    context = {
        "stations": stations,
        "organisations": permissions.scope(Organisation.objects.all(), user).count(),
        "people": permissions.scope(Person.objects.all(), user).count(),
        "regions": Region.objects.aggregate(
            towns=Count("pk", filter=Q(level="town")), villages=Count("pk", filter=Q(level="village"))
        ),
        "county": county,
        "coverage": compute_coverage(county) if county and not permissions.is_station_manager(user) else [],
        "my_station": user.station if permissions.is_station_manager(user) else None,
    }
    contract = context_contract(request)
    if contract is not None:
        context["contract_summary"] = summarise_progress(contract)
    return render(request, "home.html", context)


def context_contract(request):
    from muxiang.contracts.context_processors import current_contract

    return current_contract(request).get("current_contract")


def summarise_progress(contract):
    """How many targets are met, on track, at risk, behind or not measurable in the current phase."""
    from muxiang.contracts.engine import compute_progress

    today = timezone.localdate()
    phases = list(contract.phases.all())
    current = next((p for p in phases if p.start <= today <= p.end), None)
    if current is None:
        return None
    counts: dict[str, int] = {}
    for item in compute_progress(contract, today):
        status = item.phases[current.number - 1].status
        counts[status] = counts.get(status, 0) + 1
    return {"phase": current, "counts": counts}
