from django.urls import path

from muxiang.sales import views

app_name = "sales"
urlpatterns = [
    path("census/compare/", views.census_comparison, name="census-compare"),
    *(route for viewset in views.VIEWSETS for route in viewset.urls()),
]
