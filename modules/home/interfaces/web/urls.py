"""The public pages, crawler files and the dashboard; included at the root with the
namespace `site`."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from modules.home.interfaces.web import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("app/", views.dashboard, name="dashboard"),
    path("help/", views.help_page, name="help"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": views.SITEMAPS}, name="sitemap"),
]
