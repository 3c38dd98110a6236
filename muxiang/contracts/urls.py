from django.urls import path

from muxiang.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<slug:key>/", views.contract_dashboard, name="dashboard"),
]
