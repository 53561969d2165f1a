"""Recurring pages under /app/; included with the namespace `recurring`."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
