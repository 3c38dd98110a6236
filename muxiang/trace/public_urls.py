"""The consumer's routes, at the site's root and without login: the short code URL printed in the
QR codes (upper case, so the whole URL fits the QR alphanumeric mode) and the GS1 Digital Link."""

from django.urls import path

from muxiang.trace import views

urlpatterns = [
    path("t/<str:code>", views.public_code, name="trace-public"),
    path("T/<str:code>", views.public_code, name="trace-public-upper"),
    path("t/photo/<int:pk>", views.public_photo, name="trace-photo"),
    path("01/<str:gtin>/10/<str:lot>/21/<str:serial>", views.digital_link, name="trace-digital-link"),
]
