app_name = "mofcom"
urlpatterns = []
