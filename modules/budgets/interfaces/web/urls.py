"""Budgets pages under /app/; included with the namespace `budgets`."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
