from django.urls import path

from modules.accounts.interfaces.api import views

urlpatterns = [
    path("accounts", views.AccountList.as_view(), name="accounts"),
    path("accounts/<uuid:account_id>", views.AccountDetail.as_view(), name="account"),
    path("exchange-rates", views.ExchangeRateList.as_view(), name="exchange-rates"),
]
