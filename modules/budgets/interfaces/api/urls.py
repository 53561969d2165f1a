"""Budgets API under /api/v1/."""

from django.urls import path

from modules.budgets.interfaces.api import views

urlpatterns = [
    path("budgets", views.BudgetList.as_view(), name="budgets"),
    path("budgets/<uuid:budget_id>", views.BudgetDetail.as_view(), name="budget"),
    path(
        "budgets/<uuid:budget_id>/periods",
        views.BudgetPeriods.as_view(),
        name="budget-periods",
    ),
]
