"""Rules through the API: categorise the next import, dry run, apply to history."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.imports.helpers import SIMPLE, confirm, csv_lines, upload
from tests.integration.ledger.test_ledger_api import (
    balance,
    category_named,
    create_account,
    record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory(email="ana@example.com"))


def create_rule(client: APIClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/rules", fields, format="json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_a_rule_categorises_and_renames_on_the_next_import(ana: APIClient) -> None:
    eur = create_account(ana)
    groceries = category_named(ana, "Groceries")
    made = create_rule(
        ana,
        name="Market",
        conditions=[{"field": "payee", "operator": "contains", "value": "MARKET"}],
        direction="out",
        actions={"category": groceries, "payee": "Corner market"},
    )
    assert made["actions"]["category"] == groceries
    found = upload(
        ana,
        eur,
        content=csv_lines(
            "2026-11-02,-4.50,Super Market 24", "2026-11-03,9,Market refund"
        ),
        mapping=SIMPLE,
    )
    first, second = found["rows"]
    assert first["category"] == groceries and first["payee"] == "Corner market"
    assert second["category"] is None
    recorded = confirm(ana, found)
    transaction = ana.get(
        f"/api/v1/transactions/{recorded['rows'][0]['transaction']}"
    ).json()
    assert (
        transaction["category"] == groceries and transaction["payee"] == "Corner market"
    )


def test_a_rule_may_mark_a_line_as_a_transfer(ana: APIClient) -> None:
    eur = create_account(ana)
    savings = create_account(ana, name="Savings", kind="savings")
    create_rule(
        ana,
        name="To savings",
        conditions=[{"field": "payee", "operator": "equals", "value": "savings"}],
        actions={"transfer_to": savings["id"]},
    )
    confirm(
        ana,
        upload(ana, eur, content=csv_lines("2026-11-02,-100,Savings"), mapping=SIMPLE),
    )
    assert balance(ana, eur) == "-100.00" and balance(ana, savings) == "100.00"


def test_dry_run_lists_and_applying_reverses_and_records_again(ana: APIClient) -> None:
    eur = create_account(ana)
    groceries = category_named(ana, "Groceries")
    old = record(ana, type="outflow", account=eur["id"], amount="12.00", payee="Market")
    record(ana, type="outflow", account=eur["id"], amount="3.00", payee="Bakery")
    made = create_rule(
        ana,
        name="Market",
        conditions=[{"field": "payee", "operator": "regex", "value": "^mark"}],
        actions={"category": groceries},
    )
    dry = ana.post(f"/api/v1/rules/{made['id']}/dry-runs", format="json")
    assert dry.status_code == 200, dry.content
    changes = dry.json()["changes"]
    assert [c["transaction"] for c in changes] == [old["id"]]
    assert changes[0]["new_category"] == groceries
    applied = ana.post(f"/api/v1/rules/{made['id']}/applications", format="json")
    assert applied.json() == {"corrected": 1}
    assert balance(ana, eur) == "-15.00"
    original = ana.get(f"/api/v1/transactions/{old['id']}").json()
    assert original["reversed_by"] is not None
    again = ana.post(f"/api/v1/rules/{made['id']}/dry-runs", format="json").json()
    assert again["changes"] == []


def test_a_rule_over_history_leaves_split_transactions_whole(ana: APIClient) -> None:
    usd = create_account(ana, currency="USD")
    confirm(ana, upload(ana, usd, sample="quiffen__test.qif"))
    made = create_rule(
        ana,
        name="Shops",
        conditions=[{"field": "payee", "operator": "regex", "value": "^(amazon|walm)"}],
        actions={"category": category_named(ana, "Shopping")},
    )
    dry = ana.post(f"/api/v1/rules/{made['id']}/dry-runs", format="json").json()
    assert [c["payee"] for c in dry["changes"]] == ["Walmart"]  # not the split Amazon


def test_rules_are_listed_in_order_changed_and_deleted(ana: APIClient) -> None:
    groceries = category_named(ana, "Groceries")
    body = {
        "conditions": [{"field": "payee", "operator": "contains", "value": "x"}],
        "actions": {"category": groceries},
    }
    second = create_rule(ana, name="B", position=2, **body)
    create_rule(ana, name="A", position=1, **body)
    assert [r["name"] for r in ana.get("/api/v1/rules").json()] == ["A", "B"]
    changed = ana.patch(f"/api/v1/rules/{second['id']}", {"position": 0}, format="json")
    assert changed.status_code == 200, changed.content
    assert [r["name"] for r in ana.get("/api/v1/rules").json()] == ["B", "A"]
    assert ana.delete(f"/api/v1/rules/{second['id']}").status_code == 204
    assert_error_shape(ana.delete(f"/api/v1/rules/{second['id']}"), status=404)


def test_a_rule_without_an_action_or_with_a_bad_regex_is_refused(
    ana: APIClient,
) -> None:
    refused = ana.post(
        "/api/v1/rules",
        {
            "name": "x",
            "conditions": [{"field": "payee", "operator": "contains", "value": "a"}],
            "actions": {},
        },
        format="json",
    )
    assert_error_shape(refused, status=400, code="VALIDATION_ERROR")
    regex = ana.post(
        "/api/v1/rules",
        {
            "name": "x",
            "conditions": [{"field": "payee", "operator": "regex", "value": "("}],
            "actions": {"payee": "y"},
        },
        format="json",
    )
    assert_error_shape(regex, status=400)
    too_far = ana.post(
        "/api/v1/rules",
        {"name": "x", "position": 2**31, "actions": {"payee": "y"}},
        format="json",
    )
    assert assert_error_shape(too_far, status=400)["details"][0]["field"] == "position"
    for not_an_id in (False, True, 1):
        transfer = ana.post(
            "/api/v1/rules",
            {"name": "x", "conditions": [], "actions": {"transfer_to": not_an_id}},
            format="json",
        )
        error = assert_error_shape(transfer, status=400, code="VALIDATION_ERROR")
        assert error["details"][0]["field"] == "actions.transfer_to"


def test_rules_apply_on_entry_and_only_with_a_category_of_the_right_kind(
    ana: APIClient,
) -> None:
    eur = create_account(ana)
    groceries = category_named(ana, "Groceries")
    salary = category_named(ana, "Salary")
    create_rule(
        ana,
        name="Market",
        conditions=[{"field": "payee", "operator": "contains", "value": "market"}],
        actions={"category": groceries, "payee": "Corner market"},
    )
    spent = record(
        ana, type="outflow", account=eur["id"], amount="5.00", payee="market 24"
    )
    assert spent["category"] == groceries and spent["payee"] == "Corner market"
    chosen = record(
        ana,
        type="outflow",
        account=eur["id"],
        amount="5.00",
        payee="market",
        category=groceries,
    )
    assert chosen["category"] == groceries
    refund = record(
        ana, type="inflow", account=eur["id"], amount="5.00", payee="market"
    )
    assert refund["category"] is None and refund["payee"] == "Corner market"
    found = upload(
        ana, eur, content=csv_lines("2026-12-01,7.00,Market refund"), mapping=SIMPLE
    )
    assert found["rows"][0]["category"] is None
    assert confirm(ana, found)["status"] == "recorded"
    paid = record(
        ana,
        type="inflow",
        account=eur["id"],
        amount="900.00",
        payee="Employer",
        category=salary,
    )
    assert paid["category"] == salary
