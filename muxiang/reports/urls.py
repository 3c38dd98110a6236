from django.urls import path

from muxiang.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/build/", views.report_build, name="build"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("<int:pk>/return/", views.report_return, name="return"),
    path("<int:pk>/new-version/", views.report_new_version, name="new-version"),
    path("<int:pk>/delete/", views.report_delete, name="delete"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
]
