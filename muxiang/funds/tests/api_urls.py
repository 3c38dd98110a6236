"""A URLconf for the funds API tests: the site's URLs plus the funds router on its own NinjaAPI.

The funds router is not yet on the site's API (``muxiang/api.py``): the core API permission
tests accept only the routes they know, and teaching them is outside this app."""

from django.urls import path
from ninja import NinjaAPI

from muxiang.accounts.api import TokenAuth
from muxiang.funds.api import router
from muxiang.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(title="funds (test)", auth=TokenAuth(), urls_namespace="funds-api-test")
api.add_router("/funds", router)

urlpatterns = [*site_urlpatterns, path("test-api/", api.urls)]
