app_name = "centre"
urlpatterns = []
