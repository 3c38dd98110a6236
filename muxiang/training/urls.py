from muxiang.training import views

app_name = "training"
urlpatterns = [
    *views.TrainingSessionViewSet.urls(),
    *views.AttendanceViewSet.urls(),
    *views.TraineeOutcomeViewSet.urls(),
    *views.FollowUpVisitViewSet.urls(),
    *views.TextbookViewSet.urls(),
    *views.MerchantCensusViewSet.urls(),
    *views.FeedbackAnalysisViewSet.urls(),
]
