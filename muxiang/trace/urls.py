from django.urls import path

from muxiang.trace import views

app_name = "trace"
urlpatterns = [
    path("issue/", views.issue, name="issue"),
    path("runs/<int:pk>/bind/", views.bind, name="run-bind"),
    path("runs/<int:pk>/void/", views.void, name="run-void"),
    path("runs/<int:pk>/labels/", views.labels, name="run-labels"),
    path("scans/", views.scan_list, name="scan-list"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:pk>/review/", views.alert_review, name="alert-review"),
    *(route for viewset in views.VIEWSETS for route in viewset.urls()),
]
