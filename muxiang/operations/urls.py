from django.urls import path

from muxiang.operations import views

app_name = "operations"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("completeness/", views.completeness, name="completeness"),
    path("premium/", views.premium, name="premium"),
    path("app-activity/", views.app_activity, name="app-activity"),
    path("inspections/<int:pk>/count/", views.inspection_count, name="inspection-count"),
    *views.StationDailyReportViewSet.urls(),
    *views.ReportMonthViewSet.urls(),
    *views.StationTransactionViewSet.urls(),
    *views.StationInspectionViewSet.urls(),
    *views.InspectionProblemViewSet.urls(),
    *views.FixedAssetViewSet.urls(),
    *views.AssetCountLineViewSet.urls(),
    *views.ManagerTrainingViewSet.urls(),
    *views.StationEvaluationViewSet.urls(),
    *views.EvaluationEntryViewSet.urls(),
    *views.AppCheckInViewSet.urls(),
    *views.AppActivityMonthViewSet.urls(),
]
