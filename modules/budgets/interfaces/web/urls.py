"""Budget pages under /app/; included with the namespace `budgets`."""

from django.urls import path

from modules.budgets.interfaces.web import views

urlpatterns = [
    path("budgets/", views.budget_list, name="list"),
    path("budgets/new/", views.new_budget, name="new"),
    path("budgets/<uuid:budget_id>/", views.budget_detail, name="detail"),
    path("budgets/<uuid:budget_id>/edit/", views.edit, name="edit"),
]
