"""The recurring API: rules, their occurrences, bills and the forecast, as a client
sees them (including another person's rules answering 404)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from modules.recurring.infrastructure.sweep import sweep_all
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.ledger.test_ledger_api import balance, create_account
from tests.integration.recurring.helpers import month_end, months_back, today

pytestmark = pytest.mark.django_db

RULES = "/api/v1/recurring-transactions"


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


@pytest.fixture
def ben(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def create_rule(
    client: APIClient, account: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    body = {
        "name": "Rent",
        "template": {
            "type": "outflow",
            "account": account["id"],
            "amount": "187.60",
            "payee": "Landlord",
        },
        "rule": {"frequency": "monthly", "day_of_month": -1},
        "starts_on": today().isoformat(),
        **fields,
    }
    response = client.post(RULES, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_month_end_rule_from_three_months_ago_then_the_forecast(
    ana: APIClient,
) -> None:
    account = create_account(ana, opening_balance="2000.00")
    start = month_end(*months_back(today(), 3))
    rule = create_rule(ana, account, starts_on=start.isoformat())
    assert rule["rule"] == {
        "frequency": "monthly",
        "interval": 1,
        "day_of_month": -1,
        "weekday": None,
    }
    assert rule["template"]["amount"] == {"amount": "187.60", "currency": "EUR"}
    sweep_all()
    sweep_all()

    listed = ana.get(
        f"{RULES}/{rule['id']}/occurrences",
        {"from": start.isoformat(), "to": (today() + timedelta(days=70)).isoformat()},
    ).json()["results"]
    recorded = [o for o in listed if o["status"] == "recorded"]
    past_ends = [
        month_end(*months_back(today(), back))
        for back in (3, 2, 1, 0)
        if month_end(*months_back(today(), back)) <= today()
    ]
    assert [date.fromisoformat(o["date"]) for o in recorded] == past_ends
    assert all(o["transaction"] for o in recorded)
    upcoming = [
        date.fromisoformat(o["date"]) for o in listed if o["status"] == "upcoming"
    ]
    assert upcoming and all(d == month_end(d.year, d.month) for d in upcoming)
    spent = Decimal("187.60") * len(past_ends)
    assert Decimal(balance(ana, account)) == Decimal("2000.00") - spent

    forecast = ana.get("/api/v1/reports/forecast", {"days": 90}).json()
    (row,) = forecast["accounts"]
    days = {d["date"]: Decimal(d["balance"]["amount"]) for d in row["days"]}
    next_on = upcoming[0]  # after today: today's date, if any, is recorded
    day_before = next_on - timedelta(days=1)
    assert days[next_on.isoformat()] == days[day_before.isoformat()] - Decimal("187.60")
    assert row["days"][0]["balance"]["amount"] == balance(ana, account)
    lowest = min(days.values())
    assert Decimal(row["lowest"]["balance"]["amount"]) == lowest
    assert forecast["totals"][0]["currency"] == "EUR"


def test_the_forecast_drops_by_the_amount_on_the_next_occurrence(
    ana: APIClient,
) -> None:
    account = create_account(ana, opening_balance="500.00")
    next_on = today() + timedelta(days=10)
    create_rule(
        ana,
        account,
        starts_on=next_on.isoformat(),
        rule={"frequency": "monthly"},
    )
    body = ana.get(
        "/api/v1/reports/forecast",
        {"days": 30, "account": account["id"], "buffer": "400.00"},
    ).json()
    (row,) = body["accounts"]
    by_day = {d["date"]: d["balance"]["amount"] for d in row["days"]}
    assert len(row["days"]) == 31
    assert by_day[(next_on - timedelta(days=1)).isoformat()] == "500.00"
    assert by_day[next_on.isoformat()] == "312.40"
    assert row["lowest"] == {
        "date": next_on.isoformat(),
        "balance": {"amount": "312.40", "currency": "EUR"},
    }
    assert row["below_zero"] == []
    assert row["below_buffer"][0] == next_on.isoformat()


def test_the_forecast_refuses_other_horizons_and_unknown_accounts(
    ana: APIClient, ben: APIClient
) -> None:
    assert_error_shape(
        ana.get("/api/v1/reports/forecast", {"days": 60}),
        status=400,
        code="VALIDATION_ERROR",
    )
    bens = create_account(ben)
    assert_error_shape(
        ana.get("/api/v1/reports/forecast", {"account": bens["id"]}), status=404
    )
    for path, query, field in (
        ("/api/v1/reports/forecast", {"account": "1"}, "account"),
        ("/api/v1/reports/forecast", {"acount": bens["id"]}, "acount"),
        ("/api/v1/recurring-transactions/upcoming", {"from": ""}, "from"),
        ("/api/v1/recurring-transactions/upcoming", {"until": "2026-01-01"}, "until"),
        ("/api/v1/bills", {"month": ""}, "month"),
    ):
        error = assert_error_shape(ana.get(path, query), status=400)
        assert error["details"][0]["field"] == field


def test_another_persons_rules_answer_404(ana: APIClient, ben: APIClient) -> None:
    rule = create_rule(ana, create_account(ana))
    base = f"{RULES}/{rule['id']}"
    for response in (
        ben.get(base),
        ben.patch(base, {"name": "Mine"}, format="json"),
        ben.delete(base),
        ben.get(f"{base}/occurrences"),
        ben.post(f"{base}/pauses"),
        ben.post(f"{base}/skips", {"date": rule["starts_on"]}, format="json"),
        ben.post(f"{base}/changes", {"from_date": rule["starts_on"]}, format="json"),
        ben.post(
            "/api/v1/bills/payments",
            {"rule": rule["id"], "date": rule["starts_on"]},
            format="json",
        ),
    ):
        assert_error_shape(response, status=404, code="NOT_FOUND")
    assert ben.get(RULES).json()["results"] == []
    assert ana.get(base).status_code == 200


def test_a_rule_on_an_account_of_someone_else_is_refused(
    ana: APIClient, ben: APIClient
) -> None:
    response = ana.post(
        RULES,
        {
            "template": {
                "type": "outflow",
                "account": create_account(ben)["id"],
                "amount": "1.00",
            },
            "rule": {"frequency": "daily"},
            "starts_on": today().isoformat(),
        },
        format="json",
    )
    error = assert_error_shape(response, status=400, code="VALIDATION_ERROR")
    assert error["details"][0]["field"] == "account"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rule": {"frequency": "fortnightly"}}, "rule"),
        ({"rule": {"frequency": "weekly", "day_of_month": 3}}, "day_of_month"),
        ({"ends_on": "2001-01-01"}, "ends_on"),
        ({"count": 3, "ends_on": "2099-01-01"}, "count"),
        ({"template": {"type": "outflow", "amount": "1.00"}}, "template"),
        (
            {"template": {"type": "outflow", "account": None, "amount": 12.5}},
            "template",
        ),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_in_the_one_shape(
    ana: APIClient, change: dict[str, Any], field: str
) -> None:
    account = create_account(ana)
    body = {
        "template": {"type": "outflow", "account": account["id"], "amount": "1.00"},
        "rule": {"frequency": "monthly"},
        "starts_on": today().isoformat(),
        **change,
    }
    error = assert_error_shape(ana.post(RULES, body, format="json"), status=400)
    assert any(d["field"].startswith(field) for d in error["details"]), error


def test_pause_resume_skip_and_change_from_a_date(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="100.00")
    rule = create_rule(
        ana,
        account,
        rule={"frequency": "weekly", "interval": 2},
        starts_on=(today() + timedelta(days=1)).isoformat(),
    )
    base = f"{RULES}/{rule['id']}"
    first = rule["next_date"]
    assert first == (today() + timedelta(days=1)).isoformat()

    paused = ana.post(f"{base}/pauses")
    assert paused.status_code == 201 and paused.json()["paused"] is True
    assert paused.json()["next_date"] is None
    assert_error_shape(ana.post(f"{base}/pauses"), status=409, code="CONFLICT")
    assert ana.post(f"{base}/resumptions").json()["paused"] is False

    skipped = ana.post(f"{base}/skips", {"date": first}, format="json")
    assert skipped.status_code == 201
    assert skipped.json()["status"] == "skipped"
    second = (date.fromisoformat(first) + timedelta(weeks=2)).isoformat()
    assert ana.get(base).json()["next_date"] == second
    assert_error_shape(
        ana.post(f"{base}/skips", {"date": today().isoformat()}, format="json"),
        status=400,
    )

    changed = ana.post(
        f"{base}/changes", {"from_date": second, "amount": "200.00"}, format="json"
    )
    assert changed.status_code == 201, changed.content
    new = changed.json()
    assert new["id"] != rule["id"]
    assert new["starts_on"] == second
    assert new["template"]["amount"]["amount"] == "200.00"
    old = ana.get(base).json()
    assert old["continued_as"] == new["id"]
    assert (
        old["ends_on"] == (date.fromisoformat(second) - timedelta(days=1)).isoformat()
    )
    assert old["next_date"] is None
    assert_error_shape(
        ana.post(f"{base}/changes", {"from_date": "2000-01-01"}, format="json"),
        status=400,
    )

    upcoming = ana.get(f"{RULES}/upcoming").json()["results"]
    assert [(o["date"], o["status"], o["amount"]["amount"]) for o in upcoming][:2] == [
        (first, "skipped", "187.60"),
        (second, "upcoming", "200.00"),
    ]


def test_patch_changes_only_what_is_to_come_and_delete_keeps_the_ledger(
    ana: APIClient,
) -> None:
    account = create_account(ana, opening_balance="1000.00")
    rule = create_rule(ana, account, rule={"frequency": "daily"})
    sweep_all()
    assert balance(ana, account) == "812.40"
    patched = ana.patch(
        f"{RULES}/{rule['id']}", {"amount": "10.00", "name": "Coffee"}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["name"] == "Coffee"
    assert patched.json()["template"]["amount"]["amount"] == "10.00"
    assert balance(ana, account) == "812.40"
    assert ana.delete(f"{RULES}/{rule['id']}").status_code == 204
    assert_error_shape(ana.get(f"{RULES}/{rule['id']}"), status=404)
    assert balance(ana, account) == "812.40"


def test_rules_list_is_cursor_paginated(ana: APIClient) -> None:
    account = create_account(ana)
    for _ in range(3):
        create_rule(ana, account)
    first = ana.get(RULES, {"limit": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = ana.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_creating_a_rule_is_idempotent(ana: APIClient) -> None:
    account = create_account(ana)
    body = {
        "template": {"type": "outflow", "account": account["id"], "amount": "5.00"},
        "rule": {"frequency": "daily"},
        "starts_on": today().isoformat(),
    }
    first = ana.post(RULES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = ana.post(RULES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.json()["id"] == again.json()["id"]
    assert len(ana.get(RULES).json()["results"]) == 1


def test_bills_wait_to_be_confirmed_and_show_in_the_month(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="300.00")
    due = today() - timedelta(days=1)
    rule = create_rule(
        ana,
        account,
        name="Power",
        is_bill=True,
        rule={"frequency": "monthly"},
        starts_on=due.isoformat(),
        template={
            "type": "outflow",
            "account": account["id"],
            "amount": "49.99",
            "payee": "Power Co",
        },
    )
    sweep_all()
    assert balance(ana, account) == "300.00"
    bills = ana.get("/api/v1/bills", {"month": due.strftime("%Y-%m")}).json()
    assert [(b["date"], b["status"]) for b in bills["results"]] == [
        (due.isoformat(), "overdue")
    ]
    assert [o["date"] for o in bills["overdue"]] == [due.isoformat()]
    assert {
        "state": "overdue",
        "amount": {"amount": "49.99", "currency": "EUR"},
    } in bills["totals"]

    paid = ana.post(
        "/api/v1/bills/payments",
        {"rule": rule["id"], "date": due.isoformat()},
        format="json",
    )
    assert paid.status_code == 201, paid.content
    assert balance(ana, account) == "250.01"
    again = ana.post(
        "/api/v1/bills/payments",
        {"rule": rule["id"], "date": due.isoformat()},
        format="json",
    )
    assert_error_shape(again, status=409)
    bills = ana.get("/api/v1/bills", {"month": due.strftime("%Y-%m")}).json()
    assert bills["results"][0]["status"] == "paid"
    assert bills["results"][0]["transaction"] == paid.json()["transaction"]
    assert bills["overdue"] == []


def test_only_money_out_can_be_a_bill(ana: APIClient) -> None:
    account = create_account(ana)
    response = ana.post(
        RULES,
        {
            "template": {"type": "inflow", "account": account["id"], "amount": "5.00"},
            "rule": {"frequency": "monthly"},
            "starts_on": today().isoformat(),
            "is_bill": True,
        },
        format="json",
    )
    error = assert_error_shape(response, status=400)
    assert error["details"][0]["field"] == "is_bill"


def test_a_new_rhythm_from_a_date_starts_on_that_date(ana: APIClient) -> None:
    account = create_account(ana)
    rule = create_rule(
        ana,
        account,
        rule={"frequency": "monthly", "day_of_month": 20},
        starts_on=(today() - timedelta(days=40)).isoformat(),
    )
    start = today() + timedelta(days=1)
    changed = ana.post(
        f"{RULES}/{rule['id']}/changes",
        {"from_date": start.isoformat(), "rule": {"frequency": "weekly", "weekday": 0}},
        format="json",
    )
    assert changed.status_code == 201, changed.content
    new = changed.json()
    assert new["rule"] == {
        "frequency": "weekly",
        "interval": 1,
        "day_of_month": None,
        "weekday": 0,
    }
    next_date = date.fromisoformat(new["next_date"])
    assert next_date.weekday() == 0
    assert 0 <= (next_date - start).days < 7


def test_a_batch_payment_matching_a_bill_marks_it_paid(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="300.00")
    due = today() - timedelta(days=2)
    rule = create_rule(
        ana,
        account,
        name="Water",
        is_bill=True,
        rule={"frequency": "monthly"},
        starts_on=due.isoformat(),
        template={
            "type": "outflow",
            "account": account["id"],
            "amount": "35.10",
            "payee": "Water Co",
        },
    )
    sweep_all()
    batch = ana.post(
        "/api/v1/transactions/batch",
        {
            "transactions": [
                {
                    "type": "outflow",
                    "account": account["id"],
                    "amount": "35.10",
                    "payee": "WATER CO",
                    "date": today().isoformat(),
                },
                {
                    "type": "outflow",
                    "account": account["id"],
                    "amount": "35.10",
                    "payee": "Someone else",
                    "date": today().isoformat(),
                },
            ]
        },
        format="json",
    )
    assert batch.status_code == 201, batch.content
    listed = ana.get(
        f"{RULES}/{rule['id']}/occurrences",
        {"from": due.isoformat(), "to": due.isoformat()},
    ).json()["results"]
    assert [(o["date"], o["status"]) for o in listed] == [(due.isoformat(), "paid")]
    assert listed[0]["transaction"] == batch.json()["results"][0]["id"]


def test_the_forecast_of_all_accounts_in_the_base_currency(ana: APIClient) -> None:
    create_account(ana, opening_balance="100.00")
    create_account(ana, name="Dollars", currency="USD", opening_balance="11.00")

    missing = ana.get("/api/v1/reports/forecast", {"days": 30}).json()
    assert missing["total_in_base"] is None
    assert missing["missing_rates"] == ["USD"]
    assert [t["currency"] for t in missing["totals"]] == ["EUR", "USD"]

    rate = ana.post(
        "/api/v1/exchange-rates",
        {"base": "EUR", "quote": "USD", "rate": "1.1", "date": "2020-01-01"},
        format="json",
    )
    assert rate.status_code == 201, rate.content
    found = ana.get("/api/v1/reports/forecast", {"days": 30, "buffer": "200.00"}).json()
    total = found["total_in_base"]
    assert found["missing_rates"] == []
    assert total["currency"] == "EUR"
    assert total["days"][0]["balance"] == {"amount": "110.00", "currency": "EUR"}
    assert len(total["days"]) == 31 and len(total["below_buffer"]) == 31
    one = ana.get(
        "/api/v1/reports/forecast",
        {"days": 30, "account": found["accounts"][0]["account"]},
    ).json()
    assert one["total_in_base"] is None and one["missing_rates"] == []
