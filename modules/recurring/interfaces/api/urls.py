"""Recurring API under /api/v1/; the forecast is served under reports/ (ADR 0011)."""

from django.urls import path

from modules.recurring.interfaces.api import views

BASE = "recurring-transactions"

urlpatterns = [
    path(BASE, views.RuleList.as_view(), name="recurring_transactions"),
    path(
        f"{BASE}/upcoming",
        views.UpcomingOccurrences.as_view(),
        name="recurring_upcoming",
    ),
    path(
        f"{BASE}/<uuid:rule_id>",
        views.RuleDetail.as_view(),
        name="recurring_transaction",
    ),
    path(
        f"{BASE}/<uuid:rule_id>/occurrences",
        views.RuleOccurrences.as_view(),
        name="recurring_occurrences",
    ),
    path(
        f"{BASE}/<uuid:rule_id>/pauses",
        views.RulePauses.as_view(),
        name="recurring_pauses",
    ),
    path(
        f"{BASE}/<uuid:rule_id>/resumptions",
        views.RuleResumptions.as_view(),
        name="recurring_resumptions",
    ),
    path(
        f"{BASE}/<uuid:rule_id>/skips",
        views.RuleSkips.as_view(),
        name="recurring_skips",
    ),
    path(
        f"{BASE}/<uuid:rule_id>/changes",
        views.RuleChanges.as_view(),
        name="recurring_changes",
    ),
    path("bills", views.Bills.as_view(), name="bills"),
    path("bills/payments", views.BillPayments.as_view(), name="bill_payments"),
    path("reports/forecast", views.CashFlowForecast.as_view(), name="forecast"),
]
