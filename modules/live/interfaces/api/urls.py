from django.urls import path

from modules.live.interfaces.api import views

urlpatterns = [path("events", views.EventFeed.as_view(), name="events")]
