"""The home page: what the programme's registry holds today and how coverage stands."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

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
    return render(request, "home.html", context)
