from django.urls import path

from muxiang.mofcom import views

app_name = "mofcom"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("download/", views.download, name="download"),
    path("schedule/", views.schedule, name="schedule"),
    path("run/", views.run, name="run"),
    *views.MinistryDeliveryViewSet.urls(),
]
