from django.urls import path

from muxiang.stations.views import StationViewSet, coverage_view

app_name = "stations"
urlpatterns = [path("coverage/", coverage_view, name="coverage"), *StationViewSet.urls()]
