from muxiang.standards import views

app_name = "standards"
urlpatterns = [
    *views.TradeStandardViewSet.urls(),
    *views.StandardVersionViewSet.urls(),
    *views.StandardAdoptionViewSet.urls(),
]
