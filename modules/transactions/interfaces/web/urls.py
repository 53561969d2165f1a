"""Ledger pages under /app/; included with the namespace `ledger`."""

from django.urls import path

from modules.transactions.interfaces.web import views

urlpatterns = [
    path("transactions/", views.transaction_list, name="transactions"),
    path("transactions/new/", views.new_transaction, name="new-transaction"),
    path(
        "transactions/<uuid:entry_id>/reverse/",
        views.reverse_transaction,
        name="reverse",
    ),
    path("categories/", views.category_list, name="categories"),
    path("categories/<uuid:category_id>/", views.category_change, name="category"),
]
