from django.urls import include, path

from muxiang.api import api
from muxiang.core import views as core_views
from muxiang.home import home

urlpatterns = [
    path("", home, name="home"),
    # The trace labels' public page first: it is the most requested route (every scan of a label).
    path("", include("muxiang.trace.public_urls")),
    path("accounts/", include("muxiang.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("muxiang.regions.urls")),
    path("stations/", include("muxiang.stations.urls")),
    path("organisations/", include("muxiang.organisations.urls")),
    path("people/", include("muxiang.people.urls")),
    path("contracts/", include("muxiang.contracts.urls")),
    path("funds/", include("muxiang.funds.urls")),
    path("centre/", include("muxiang.centre.urls")),
    path("jobs/", include("muxiang.jobs.urls")),
    path("publicity/", include("muxiang.publicity.urls")),
    path("training/", include("muxiang.training.urls")),
    path("operations/", include("muxiang.operations.urls")),
    path("mofcom/", include("muxiang.mofcom.urls")),
    path("supply/", include("muxiang.supply.urls")),
    path("network/", include("muxiang.network.urls")),
    path("sales/", include("muxiang.sales.urls")),
    path("brands/", include("muxiang.brands.urls")),
    path("standards/", include("muxiang.standards.urls")),
    path("trace/", include("muxiang.trace.urls")),
    path("reports/", include("muxiang.reports.urls")),
    path("audit/", core_views.audit_list, name="audit"),
    path("evidence/<int:pk>/", core_views.evidence_download, name="evidence-download"),
    path("api/", api.urls),
]
