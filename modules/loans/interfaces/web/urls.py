"""Loans pages under /app/; included with the namespace `loans`."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
