from django.urls import path

from muxiang.network.views import OutletViewSet, coverage_view

app_name = "network"
urlpatterns = [path("coverage/", coverage_view, name="coverage"), *OutletViewSet.urls()]
