"""Bad input answers 4xx in the one error shape and is never stored: the strict
amount grammar, the transaction date window, names (NFC, never invisible)."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from modules.accounts.infrastructure.models import Account
from modules.transactions.infrastructure.models import Entry
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.ledger.test_ledger_api import create_account

pytestmark = pytest.mark.django_db

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def spend(client: APIClient, account: dict[str, Any], **fields: Any) -> Any:
    body = {
        "type": "outflow",
        "account": account["id"],
        "amount": "12.50",
        "date": "2026-11-20",
        **fields,
    }
    return client.post("/api/v1/transactions", body, format="json")


@pytest.mark.parametrize("amount", ["+5", " 12.5 ", "1e2", "-5", "12,50", ".5"])
def test_amounts_outside_the_grammar_are_refused(ana: APIClient, amount: str) -> None:
    account = create_account(ana)
    error = assert_error_shape(
        spend(ana, account, amount=amount), status=400, code="VALIDATION_ERROR"
    )
    assert error["details"][0]["field"] == "amount"
    assert "no sign, spaces or exponent" in error["details"][0]["message"]
    assert not Entry.all_tenants.exists()


def test_a_balance_may_be_negative_but_not_signed_with_plus(ana: APIClient) -> None:
    assert create_account(ana, opening_balance="-20.00")["balance"]["amount"] == (
        "-20.00"
    )
    refused = ana.post(
        "/api/v1/accounts",
        {"name": "X", "kind": "checking", "currency": "EUR", "opening_balance": "+5"},
        format="json",
    )
    assert_error_shape(refused, status=400, code="VALIDATION_ERROR")


@pytest.mark.parametrize(
    "day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"]
)
def test_dates_outside_the_window_are_refused(ana: APIClient, day: str) -> None:
    account = create_account(ana)
    error = assert_error_shape(spend(ana, account, date=day), status=400)
    assert error["details"][0]["field"] == "date"
    assert "1900-01-01" in error["details"][0]["message"]


@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_the_window_includes_its_edges(ana: APIClient, day: str) -> None:
    assert spend(ana, create_account(ana), date=day).status_code == 201


def test_invisible_names_are_refused_everywhere(ana: APIClient) -> None:
    body = {"name": ZERO_WIDTH, "kind": "checking", "currency": "EUR"}
    error = assert_error_shape(
        ana.post("/api/v1/accounts", body, format="json"), status=400
    )
    assert error["details"][0]["field"] == "name"
    category = ana.post(
        "/api/v1/categories", {"name": ZERO_WIDTH, "kind": "expense"}, format="json"
    )
    assert_error_shape(category, status=400)
    account = create_account(ana)
    payee = assert_error_shape(spend(ana, account, payee=f" {ZERO_WIDTH} "), status=400)
    assert payee["details"][0]["field"] == "payee"
    renamed = ana.patch(
        f"/api/v1/accounts/{account['id']}", {"name": "\u200b"}, format="json"
    )
    assert_error_shape(renamed, status=400)


def test_names_are_stored_in_nfc(ana: APIClient) -> None:
    decomposed = unicodedata.normalize("NFD", "Café  Müller")
    account = create_account(ana, name=decomposed)
    assert account["name"] == "Café Müller"
    assert Account.all_tenants.get(id=account["id"]).name == "Café Müller"
    paid = spend(ana, account, payee=decomposed)
    assert paid.status_code == 201
    assert paid.json()["payee"] == "Café Müller"


def test_a_name_with_joined_emoji_is_kept(ana: APIClient) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 home"
    assert create_account(ana, name=family)["name"] == family


@pytest.mark.parametrize("amount", ["+5", "1e2", "1 000"])
def test_the_web_form_refuses_the_same_amounts(amount: str, client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.post(
        "/app/accounts/new/",
        {"name": "Cash", "kind": "cash", "currency": "EUR", "opening_balance": amount},
    )
    assert page.status_code == 200
    assert "without thousands separators, plus sign or spaces" in page.content.decode()
    assert not Account.all_tenants.filter(tenant_id=user.tenant_id).exists()


# --- Oversized, deeply nested and odd requests ----------------------------------------


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_oversized_api_body_is_413_in_the_error_shape(
    client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = '{"email": "' + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = client.post("/api/v1/users", body, content_type="application/json")
    assert_error_shape(response, status=413, code="PAYLOAD_TOO_LARGE")
    assert errors_logged(caplog) == []


def test_an_oversized_form_is_413_on_the_web(
    client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = "email=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        "/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()
    assert errors_logged(caplog) == []


def test_an_oversized_multipart_form_is_413_too(
    client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/login/", {"email": "a" * 2000, "password": "x"})
    assert response.status_code == 413
    assert errors_logged(caplog) == []


@pytest.mark.parametrize("depth", [33, 50_000])
def test_json_nested_too_deeply_is_400(
    client: Client, depth: int, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.post(
        "/api/v1/users", "[" * depth + "]" * depth, content_type="application/json"
    )
    error = assert_error_shape(response, status=400, code="MALFORMED_REQUEST")
    assert "nested" in error["message"]
    assert errors_logged(caplog) == []


def test_json_within_the_depth_limit_reaches_validation(client: Client) -> None:
    nested: Any = "x"
    for _ in range(30):
        nested = [nested]
    response = client.post(
        "/api/v1/users", {"email": nested}, content_type="application/json"
    )
    assert_error_shape(response, status=400, code="VALIDATION_ERROR")


@pytest.mark.parametrize(
    "query",
    [
        f"page={10**20}",
        f"before={10**20}",
        f"after=9999-12-31~{10**20}",
        "before=0001-01-01T00:00:00+00:00~" + "9" * 30,
        f"date_from=0001-01-01&date_to=9999-12-31&amount_min={10**20}",
        "amount_min=1e400&amount_max=-1e400",
    ],
)
def test_odd_list_queries_never_fail(client: Client, query: str) -> None:
    client.force_login(UserFactory())
    for path in ("/app/transactions/", "/app/accounts/", "/app/notifications/"):
        assert client.get(f"{path}?{query}").status_code in (200, 400), path
