from muxiang.organisations.views import OrganisationViewSet

app_name = "organisations"
urlpatterns = OrganisationViewSet.urls()
