"""Report pages under /app/; included with the namespace `reports`."""

from django.urls import path

from modules.reports.interfaces.web import views

urlpatterns = [
    path("reports/net-worth/", views.net_worth, name="net-worth"),
    path("reports/net-worth.csv", views.net_worth_csv, name="net-worth-csv"),
    path("reports/cash-flow/", views.cash_flow, name="cash-flow"),
    path("reports/cash-flow.csv", views.cash_flow_csv, name="cash-flow-csv"),
    path("reports/spending/", views.spending, name="spending"),
    path("reports/spending.csv", views.spending_csv, name="spending-csv"),
]
