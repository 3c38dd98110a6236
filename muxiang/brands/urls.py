from muxiang.brands import views

app_name = "brands"
urlpatterns = [
    *views.BrandViewSet.urls(),
    *views.BrandMemberViewSet.urls(),
    *views.BrandServiceViewSet.urls(),
    *views.ProductSeriesViewSet.urls(),
    *views.SeriesProductViewSet.urls(),
    *views.PackagingRunViewSet.urls(),
]
