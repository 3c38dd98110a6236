from muxiang.people.views import PersonViewSet

app_name = "people"
urlpatterns = PersonViewSet.urls()
