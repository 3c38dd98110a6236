from django.urls import path

from muxiang.contracts import dossier, views

app_name = "contracts"
# Phase numbers and keys are matched as text and checked in the view, after the login and role
# checks: a visitor who may not see contracts learns nothing from which addresses exist.
PHASE = "<slug:key>/phases/<str:number>/"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<slug:key>/", views.contract_dashboard, name="dashboard"),
    path("<slug:key>/targets/<str:target>/", views.target_detail, name="target"),
    path("<slug:key>/payments/<str:payment>/pay/", views.payment_record, name="payment-record"),
    path(PHASE, views.phase_detail, name="phase"),
    path(PHASE + "request/", views.phase_request, name="phase-request"),
    path(PHASE + "sign-off/", views.phase_sign_off, name="phase-sign-off"),
    path(PHASE + "return/", views.phase_return, name="phase-return"),
    path(PHASE + "unlock/", views.phase_unlock, name="phase-unlock"),
    path(PHASE + "relock/", views.phase_relock, name="phase-relock"),
    path(PHASE + "figures/", views.manual_figure, name="manual-figure"),
    path(PHASE + "dossier/", dossier.dossier_download, name="phase-dossier"),
    path(PHASE + "dossier/build/", views.phase_dossier_build, name="phase-dossier-build"),
    path(
        PHASE + "obligations/<str:obligation>/evidence/",
        views.obligation_evidence,
        name="obligation-evidence",
    ),
    path(
        PHASE + "obligations/<str:obligation>/sign-off/",
        views.obligation_sign_off,
        name="obligation-sign-off",
    ),
]
