from django.urls import path

from modules.reports.interfaces.api import views

urlpatterns = [
    path("reports/net-worth", views.NetWorth.as_view(), name="report-net-worth"),
    path(
        "reports/net-worth.csv",
        views.NetWorthCsv.as_view(),
        name="report-net-worth-csv",
    ),
    path("reports/cash-flow", views.CashFlow.as_view(), name="report-cash-flow"),
    path(
        "reports/cash-flow.csv",
        views.CashFlowCsv.as_view(),
        name="report-cash-flow-csv",
    ),
    path(
        "reports/spending-by-category",
        views.Spending.as_view(),
        name="report-spending",
    ),
    path(
        "reports/spending-by-category.csv",
        views.SpendingCsv.as_view(),
        name="report-spending-csv",
    ),
]
