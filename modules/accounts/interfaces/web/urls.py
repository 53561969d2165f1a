"""Account pages under /app/; included with the namespace `accounts`."""

from django.urls import path

from modules.accounts.interfaces.web import views

urlpatterns = [
    path("accounts/", views.account_list, name="list"),
    path("accounts/new/", views.new_account, name="new"),
    path("accounts/<uuid:account_id>/", views.account_detail, name="detail"),
    path("accounts/<uuid:account_id>/adjust/", views.adjust, name="adjust"),
    path("accounts/<uuid:account_id>/edit/", views.edit, name="edit"),
    path("accounts/<uuid:account_id>/value/", views.value, name="value"),
    path("exchange-rates/", views.exchange_rates, name="exchange-rates"),
]
