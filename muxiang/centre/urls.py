from django.urls import path

from muxiang.centre import views

app_name = "centre"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("areas/<int:pk>/calendar/", views.area_calendar, name="area-calendar"),
    *(route for viewset in views.VIEWSETS for route in viewset.urls()),
]
