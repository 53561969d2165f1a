"""Privacy pages; included with the namespace `privacy`."""

from django.urls import path

from modules.privacy.interfaces.web import views

urlpatterns = [
    path("app/privacy/", views.your_data, name="your-data"),
    path("app/privacy/exports/", views.start_export, name="start-export"),
    path("app/privacy/close/", views.close, name="close"),
    path("account/closed/", views.closed, name="closed"),
    path("account/reopen/", views.reopen, name="reopen"),
    path("exports/download/", views.download, name="download"),
]
