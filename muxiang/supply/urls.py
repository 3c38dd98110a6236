from django.urls import path

from muxiang.supply import views

app_name = "supply"
urlpatterns = [
    path("balances/", views.balances, name="balances"),
    path("clients/", views.clients, name="clients"),
    *(route for viewset in views.VIEWSETS for route in viewset.urls()),
]
