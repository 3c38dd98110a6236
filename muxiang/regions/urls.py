from muxiang.regions.views import RegionViewSet

app_name = "regions"
urlpatterns = RegionViewSet.urls()
