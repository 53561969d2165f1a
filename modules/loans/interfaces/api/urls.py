"""Loans API under /api/v1/."""

from django.urls import path

from modules.loans.interfaces.api import views

urlpatterns = [
    path("loans", views.LoanList.as_view(), name="loans"),
    path("loans/<uuid:loan_id>", views.LoanDetail.as_view(), name="loan"),
    path(
        "loans/<uuid:loan_id>/schedule",
        views.LoanSchedule.as_view(),
        name="loan-schedule",
    ),
    path(
        "loans/<uuid:loan_id>/payments",
        views.LoanPayments.as_view(),
        name="loan-payments",
    ),
    path(
        "loans/<uuid:loan_id>/extra-payments",
        views.LoanExtraPayments.as_view(),
        name="loan-extra-payments",
    ),
    path(
        "loans/<uuid:loan_id>/rate-changes",
        views.LoanRateChanges.as_view(),
        name="loan-rate-changes",
    ),
    path("loans/<uuid:loan_id>/payoff", views.LoanPayoff.as_view(), name="loan-payoff"),
]
