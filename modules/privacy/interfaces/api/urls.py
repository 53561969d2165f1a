"""Privacy API under /api/v1/."""

from django.urls import path

from modules.privacy.interfaces.api import views

urlpatterns = [
    # Before identity's own "me": this view adds DELETE to it.
    path("me", views.Me.as_view(), name="me"),
    path("me/exports", views.ExportList.as_view(), name="exports"),
    path("me/exports/<uuid:export_id>", views.ExportDetail.as_view(), name="export"),
]
