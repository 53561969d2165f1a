"""A person with something in every corner of the product, written through the
API as a person would: what the closure and erasure tests need to prove that
nothing is left behind."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import CommittingAPIClient
from tests.factories import PASSWORD, UserFactory


def sign_in(user: Any) -> tuple[APIClient, dict[str, str]]:
    client = CommittingAPIClient()
    response = client.post(
        "/api/v1/sessions", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201, response.content
    tokens = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code in (201, 202), response.content
    return dict(response.json())


def lived_in_person() -> tuple[Any, APIClient, dict[str, str]]:
    """A member with accounts, transactions (one reversed, one idempotent), a
    category, a budget, a recurring bill, a loan with a payment, an export, a
    signed-out second device and the notifications and events all that made."""
    user = UserFactory()
    client, tokens = sign_in(user)
    today = timezone.localdate()
    bank = _created(
        client.post(
            "/api/v1/accounts",
            {
                "name": "Everyday",
                "kind": "checking",
                "currency": "EUR",
                "opening_balance": "900.00",
            },
            format="json",
        )
    )
    groceries = _created(
        client.post(
            "/api/v1/categories",
            {"name": "Market stalls", "kind": "expense"},
            format="json",
        )
    )
    spent = _created(
        client.post(
            "/api/v1/transactions",
            {
                "type": "outflow",
                "account": bank["id"],
                "amount": "42.50",
                "date": today.isoformat(),
                "category": groceries["id"],
                "payee": "Market",
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY="groceries-1",
        )
    )
    _created(
        client.post(f"/api/v1/transactions/{spent['id']}/reversals", {}, format="json")
    )
    _created(
        client.post(
            "/api/v1/budgets",
            {"period": "month", "category": groceries["id"], "amount": "10.00"},
            format="json",
        )
    )
    _created(
        client.post(
            "/api/v1/transactions",
            {
                "type": "outflow",
                "account": bank["id"],
                "amount": "30.00",
                "date": today.isoformat(),
                "category": groceries["id"],
            },
            format="json",
        )
    )
    _created(
        client.post(
            "/api/v1/recurring-transactions",
            {
                "name": "Rent",
                "template": {
                    "type": "outflow",
                    "account": bank["id"],
                    "amount": "5.00",
                },
                "rule": {"frequency": "monthly"},
                "starts_on": today.isoformat(),
                "is_bill": True,
            },
            format="json",
        )
    )
    loan = _created(
        client.post(
            "/api/v1/loans",
            {
                "name": "Car loan",
                "currency": "EUR",
                "principal": "1000.00",
                "annual_rate": "5",
                "term_months": 12,
                "first_payment_on": date(today.year, today.month, 1).isoformat(),
                "method": "annuity",
                "paid_from": bank["id"],
            },
            format="json",
        )
    )
    _created(
        client.post(
            f"/api/v1/loans/{loan['id']}/payments",
            {"date": today.isoformat()},
            format="json",
        )
    )
    _created(client.post("/api/v1/me/exports", {}, format="json"))
    _, other_device = sign_in(user)
    signed_out = CommittingAPIClient().delete(
        "/api/v1/sessions/current", {"refresh": other_device["refresh"]}, format="json"
    )
    assert signed_out.status_code == 204
    return get_user_model().objects.get(id=user.id), client, tokens
