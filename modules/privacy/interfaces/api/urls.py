"""Privacy API under /api/v1/."""

from django.urls import path

from modules.privacy.interfaces.api import views

urlpatterns = [
    path("me/exports", views.ExportList.as_view(), name="exports"),
    path("me/exports/<uuid:export_id>", views.ExportDetail.as_view(), name="export"),
]
