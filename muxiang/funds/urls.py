from django.urls import path

from muxiang.funds import views

app_name = "funds"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("audit-export.xlsx", views.audit_export, name="audit-export"),
    *views.FundReceiptViewSet.urls(),
    *views.ExpenseViewSet.urls(),
    *views.EquipmentPurchaseViewSet.urls(),
    *views.QuotationViewSet.urls(),
]
