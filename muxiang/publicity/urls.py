from muxiang.publicity import views

app_name = "publicity"
urlpatterns = [
    *views.ArticleViewSet.urls(),
    *views.MediaCoverageViewSet.urls(),
    *views.BillboardViewSet.urls(),
    *views.BrochureDistributionViewSet.urls(),
    *views.VideoViewSet.urls(),
]
