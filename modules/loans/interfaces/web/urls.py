"""Loans pages under /app/; included with the namespace `loans`."""

from django.urls import path

from modules.loans.interfaces.web import views

urlpatterns = [
    path("loans/", views.loan_list, name="list"),
    path("loans/new/", views.new_loan, name="new"),
    path("loans/<uuid:loan_id>/", views.loan_detail, name="detail"),
    path("loans/<uuid:loan_id>/payments/", views.pay, name="pay"),
    path("loans/<uuid:loan_id>/extra-payments/", views.pay_extra, name="extra"),
    path("loans/<uuid:loan_id>/rate-changes/", views.change_rate, name="rate"),
    path(
        "loans/<uuid:loan_id>/recurring-payments/",
        views.recurring_payments,
        name="recurring",
    ),
]
