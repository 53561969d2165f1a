from django.urls import path

from modules.transactions.interfaces.api import views

urlpatterns = [
    path("transactions", views.TransactionList.as_view(), name="transactions"),
    path(
        "transactions/batch",
        views.TransactionBatch.as_view(),
        name="transactions-batch",
    ),
    path(
        "transactions/<uuid:entry_id>",
        views.TransactionDetail.as_view(),
        name="transaction",
    ),
    path(
        "transactions/<uuid:entry_id>/reversals",
        views.TransactionReversals.as_view(),
        name="transaction-reversals",
    ),
    path(
        "accounts/<uuid:account_id>/adjustments",
        views.AccountAdjustments.as_view(),
        name="account-adjustments",
    ),
    path(
        "accounts/<uuid:account_id>/valuations",
        views.AccountValuations.as_view(),
        name="account-valuations",
    ),
    path("categories", views.CategoryList.as_view(), name="categories"),
    path(
        "categories/<uuid:category_id>", views.CategoryDetail.as_view(), name="category"
    ),
]
