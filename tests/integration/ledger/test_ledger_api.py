"""The ledger through the API: accounts, money in and out, transfers, reversals,
adjustments, categories, idempotency and tenant isolation."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from modules.transactions.infrastructure.models import Entry, Posting
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def create_account(client: APIClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "Everyday", "kind": "checking", "currency": "EUR", **fields}
    response = client.post("/api/v1/accounts", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def record(client: APIClient, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/transactions", {"date": "2026-11-20", **fields}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def balance(client: APIClient, account: dict[str, Any]) -> str:
    return client.get(f"/api/v1/accounts/{account['id']}").json()["balance"]["amount"]


def category_named(client: APIClient, name: str) -> str:
    results = client.get("/api/v1/categories?limit=100").json()["results"]
    return next(c["id"] for c in results if c["name"] == name)


def test_accounts_in_two_currencies_with_exact_balances(ana: APIClient) -> None:
    eur = create_account(ana, opening_balance="100.00")
    usd = create_account(ana, name="Dollars", kind="savings", currency="usd")
    assert eur["balance"] == {"amount": "100.00", "currency": "EUR"}
    assert eur["class"] == "asset" and eur["archived"] is False
    assert usd["currency"] == "USD" and usd["balance"]["amount"] == "0.00"

    salary = category_named(ana, "Salary")
    groceries = category_named(ana, "Groceries")
    record(
        ana,
        type="inflow",
        account=eur["id"],
        amount="1000.10",
        category=salary,
        payee="Employer",
    )
    spent = record(
        ana, type="outflow", account=eur["id"], amount="42.55", category=groceries
    )
    record(
        ana,
        type="transfer",
        from_account=eur["id"],
        to_account=usd["id"],
        amount="100.00",
        to_amount="108.40",
    )
    assert spent["amount"] == {"amount": "42.55", "currency": "EUR"}
    assert spent["category"] == groceries
    assert balance(ana, eur) == "957.55"
    assert balance(ana, usd) == "108.40"

    reversal = ana.post(
        f"/api/v1/transactions/{spent['id']}/reversals", {}, format="json"
    )
    assert reversal.status_code == 201
    assert reversal.json()["reverses"] == spent["id"]
    assert (
        ana.get(f"/api/v1/transactions/{spent['id']}").json()["reversed_by"]
        == reversal.json()["id"]
    )
    assert balance(ana, eur) == "1000.10"

    adjusted = ana.post(
        f"/api/v1/accounts/{eur['id']}/adjustments",
        {"balance": "1234.56", "date": "2026-11-21"},
        format="json",
    )
    assert adjusted.status_code == 201
    assert adjusted.json()["type"] == "adjustment"
    assert adjusted.json()["amount"]["amount"] == "234.46"
    assert balance(ana, eur) == "1234.56"

    listed = ana.get("/api/v1/accounts").json()
    assert {t["currency"]: t["net"]["amount"] for t in listed["totals"]} == {
        "EUR": "1234.56",
        "USD": "108.40",
    }


def test_every_entry_balances_per_currency(ana: APIClient) -> None:
    eur = create_account(ana, opening_balance="10.00")
    usd = create_account(ana, currency="USD")
    record(
        ana,
        type="transfer",
        from_account=eur["id"],
        to_account=usd["id"],
        amount="5.00",
        to_amount="5.55",
    )
    for entry in Entry.all_tenants.all():
        totals: dict[str, int] = {}
        for posting in Posting.all_tenants.filter(entry=entry):
            totals[posting.currency] = (
                totals.get(posting.currency, 0) + posting.amount_minor
            )
        assert set(totals.values()) == {0}, entry.kind


def test_a_credit_card_is_a_liability_shown_as_owed(ana: APIClient) -> None:
    checking = create_account(ana, opening_balance="500.00")
    card = create_account(
        ana, name="Card", kind="credit_card", opening_balance="200.00"
    )
    assert card["class"] == "liability"
    assert card["balance"]["amount"] == "200.00"
    record(ana, type="outflow", account=card["id"], amount="50.00")
    assert balance(ana, card) == "250.00"
    record(
        ana,
        type="transfer",
        from_account=checking["id"],
        to_account=card["id"],
        amount="250.00",
    )
    assert balance(ana, card) == "0.00"
    totals = ana.get("/api/v1/accounts").json()["totals"][0]
    assert totals["assets"]["amount"] == "250.00"
    assert totals["liabilities"]["amount"] == "0.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "outflow", "amount": "1.00"}, "account"),
        ({"type": "outflow", "amount": "-1.00"}, "amount"),
        ({"type": "outflow", "amount": "0"}, "amount"),
        ({"type": "outflow", "amount": "1.001"}, "amount"),
        ({"type": "outflow", "amount": "abc"}, "amount"),
        ({"type": "outflow", "amount": 12.5}, "amount"),
        ({"type": "transfer", "amount": "1.00"}, "from_account"),
        ({"type": "refund", "amount": "1.00"}, "type"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    ana: APIClient, body: dict[str, Any], field: str
) -> None:
    account = create_account(ana)
    body = {"date": "2026-11-20", **body}
    if body["type"] == "outflow" and field != "account":
        body["account"] = account["id"]
    before = Entry.all_tenants.count()
    error = assert_error_shape(
        ana.post("/api/v1/transactions", body, format="json"), status=400
    )
    assert field in {detail["field"] for detail in error["details"]}, error
    assert Entry.all_tenants.count() == before


def test_cross_currency_transfer_needs_the_received_amount(ana: APIClient) -> None:
    eur, usd = create_account(ana), create_account(ana, currency="USD")
    response = ana.post(
        "/api/v1/transactions",
        {
            "type": "transfer",
            "from_account": eur["id"],
            "to_account": usd["id"],
            "amount": "1.00",
            "date": "2026-11-20",
        },
        format="json",
    )
    error = assert_error_shape(response, status=400)
    assert error["details"][0]["field"] == "to_amount"


def test_reversing_twice_is_a_conflict_free_refusal(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="10.00")
    spent = record(ana, type="outflow", account=account["id"], amount="1.00")
    assert (
        ana.post(
            f"/api/v1/transactions/{spent['id']}/reversals", {}, format="json"
        ).status_code
        == 201
    )
    again = ana.post(f"/api/v1/transactions/{spent['id']}/reversals", {}, format="json")
    assert_error_shape(again, status=400, code="ALREADY_REVERSED")
    assert balance(ana, account) == "10.00"


def test_same_key_same_body_replays_the_first_answer(ana: APIClient) -> None:
    account = create_account(ana)
    body = {
        "type": "inflow",
        "account": account["id"],
        "amount": "5.00",
        "date": "2026-11-20",
    }
    first = ana.post(
        "/api/v1/transactions", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )
    second = ana.post(
        "/api/v1/transactions", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert balance(ana, account) == "5.00"
    other = ana.post(
        "/api/v1/transactions",
        {**body, "amount": "6.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )
    assert_error_shape(other, status=422, code="IDEMPOTENCY_KEY_REUSED")
    assert balance(ana, account) == "5.00"


def test_another_tenant_cannot_reach_anything(ana: APIClient, signed_in: Any) -> None:
    ben = signed_in(UserFactory())
    account = create_account(ana, opening_balance="10.00")
    spent = record(ana, type="outflow", account=account["id"], amount="1.00")
    category = category_named(ana, "Groceries")
    for path in (
        f"/api/v1/accounts/{account['id']}",
        f"/api/v1/transactions/{spent['id']}",
        f"/api/v1/categories/{category}",
    ):
        assert_error_shape(ben.get(path), status=404)
    assert_error_shape(
        ben.patch(f"/api/v1/accounts/{account['id']}", {"name": "x"}, format="json"),
        status=404,
    )
    assert_error_shape(
        ben.post(f"/api/v1/transactions/{spent['id']}/reversals", {}, format="json"),
        status=404,
    )
    assert_error_shape(
        ben.post(
            f"/api/v1/accounts/{account['id']}/adjustments",
            {"balance": "0", "date": "2026-11-20"},
            format="json",
        ),
        status=404,
    )
    assert ben.get("/api/v1/accounts").json()["results"] == []
    assert ben.get("/api/v1/transactions").json()["results"] == []
    assert category not in {
        c["id"] for c in ben.get("/api/v1/categories?limit=100").json()["results"]
    }
    ben_account = create_account(ben)
    stolen = ben.post(
        "/api/v1/transactions",
        {
            "type": "outflow",
            "account": ben_account["id"],
            "amount": "1.00",
            "date": "2026-11-20",
            "category": category,
        },
        format="json",
    )
    assert_error_shape(stolen, status=400)
    into_ana = ben.post(
        "/api/v1/transactions",
        {
            "type": "transfer",
            "from_account": ben_account["id"],
            "to_account": account["id"],
            "amount": "1.00",
            "date": "2026-11-20",
        },
        format="json",
    )
    assert_error_shape(into_ana, status=404)
    assert balance(ana, account) == "9.00"


def test_filters(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="100.00")
    other = create_account(ana, name="Other")
    groceries = category_named(ana, "Groceries")
    record(
        ana,
        type="outflow",
        account=account["id"],
        amount="10.00",
        category=groceries,
        payee="Market",
        date="2026-11-01",
    )
    record(
        ana,
        type="outflow",
        account=account["id"],
        amount="70.00",
        payee="Landlord",
        date="2026-11-05",
    )
    record(ana, type="inflow", account=other["id"], amount="3.00", date="2026-11-06")

    def found(query: str) -> list[str]:
        return [
            t["payee"]
            for t in ana.get(f"/api/v1/transactions?{query}").json()["results"]
        ]

    assert found(f"category={groceries}") == ["Market"]
    assert found("q=land") == ["Landlord"]
    assert found("date_from=2026-11-02&date_to=2026-11-05") == ["Landlord"]
    assert found("amount_min=50&amount_max=80") == ["Landlord"]
    assert len(found(f"account={other['id']}")) == 1
    page = ana.get("/api/v1/transactions?limit=2").json()
    assert len(page["results"]) == 2 and page["next"]
    rest = ana.get(page["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None
    typo = assert_error_shape(ana.get("/api/v1/transactions?acount=x"), status=400)
    assert [(d["field"], d["code"]) for d in typo["details"]] == [("acount", "unknown")]


def test_categories_archive_instead_of_delete(ana: APIClient) -> None:
    created = ana.post(
        "/api/v1/categories", {"name": "Pets", "kind": "expense"}, format="json"
    )
    assert created.status_code == 201
    pet = created.json()["id"]
    assert ana.delete(f"/api/v1/categories/{pet}").status_code == 405
    archived = ana.patch(f"/api/v1/categories/{pet}", {"archived": True}, format="json")
    assert archived.json()["archived"] is True
    account = create_account(ana)
    refused = ana.post(
        "/api/v1/transactions",
        {
            "type": "outflow",
            "account": account["id"],
            "amount": "1.00",
            "date": "2026-11-20",
            "category": pet,
        },
        format="json",
    )
    assert_error_shape(refused, status=400)
    duplicate = ana.post(
        "/api/v1/categories", {"name": "pets", "kind": "expense"}, format="json"
    )
    assert_error_shape(duplicate, status=400)


def test_starter_categories_are_named_in_the_persons_language() -> None:
    from modules.identity.infrastructure.models import Tenant
    from modules.transactions.infrastructure.default_categories import (
        create_default_categories,
    )
    from modules.transactions.infrastructure.models import Category

    tenant = Tenant.objects.create()
    create_default_categories(tenant_id=tenant.id, locale="es")
    create_default_categories(tenant_id=tenant.id, locale="es")
    rows = Category.all_tenants.filter(tenant_id=tenant.id)
    names = set(rows.values_list("name", flat=True))
    assert {"Nómina", "Vivienda"} <= names
    assert "Salary" not in names
    assert rows.count() == len(names)  # the second call added nothing


def test_old_idempotency_keys_are_purged(ana: APIClient) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from modules.shared.infrastructure.models import IdempotencyRecord
    from modules.shared.infrastructure.tasks import purge_idempotency_records

    account = create_account(ana)
    body = {
        "type": "inflow",
        "account": account["id"],
        "amount": "1.00",
        "date": "2026-11-20",
    }
    ana.post("/api/v1/transactions", body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    ana.post("/api/v1/transactions", body, format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyRecord.all_tenants.filter(key="old").update(
        created_at=timezone.now() - timedelta(days=3)
    )
    assert purge_idempotency_records() == 1
    assert list(IdempotencyRecord.all_tenants.values_list("key", flat=True)) == ["new"]


def test_categories_nest_one_level_only(ana: APIClient) -> None:
    home = ana.post(
        "/api/v1/categories", {"name": "Home", "kind": "expense"}, format="json"
    )
    garden = ana.post(
        "/api/v1/categories",
        {"name": "Garden", "kind": "expense", "parent": home.json()["id"]},
        format="json",
    )
    assert garden.status_code == 201
    other = ana.post(
        "/api/v1/categories", {"name": "Misc", "kind": "expense"}, format="json"
    )
    moved = ana.patch(
        f"/api/v1/categories/{home.json()['id']}",
        {"parent": other.json()["id"]},
        format="json",
    )
    error = assert_error_shape(moved, status=400)
    assert error["details"][0]["field"] == "parent"


def test_the_account_list_adds_every_currency_up_in_the_base_one(
    ana: APIClient,
) -> None:
    create_account(ana, opening_balance="100.00")
    create_account(ana, currency="USD", opening_balance="50.01")
    create_account(
        ana, name="Card", kind="credit_card", currency="USD", opening_balance="10.00"
    )

    before = ana.get("/api/v1/accounts").json()
    assert before["totals_in_base"] == {
        "currency": "EUR",
        "assets": None,
        "liabilities": None,
        "net": None,
        "missing_rates": ["USD"],
        "rates": [],
    }
    assert len(before["totals"]) == 2  # per currency, as before

    rate = ana.post(
        "/api/v1/exchange-rates",
        {"base": "USD", "quote": "EUR", "rate": "0.9", "date": "2020-01-01"},
        format="json",
    )
    assert rate.status_code == 201, rate.content
    after = ana.get("/api/v1/accounts").json()["totals_in_base"]
    # 50.01 USD * 0.9 = 45.009 -> 45.01; 10.00 USD -> 9.00; net from the parts
    assert after["assets"] == {"amount": "145.01", "currency": "EUR"}
    assert after["liabilities"] == {"amount": "9.00", "currency": "EUR"}
    assert after["net"] == {"amount": "136.01", "currency": "EUR"}
    assert after["missing_rates"] == []
    assert after["rates"] == [
        {
            "base": "USD",
            "quote": "EUR",
            "rate": "0.9",
            "date": "2020-01-01",
            "source": "you",
        }
    ]
