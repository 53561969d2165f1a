"""The API's transactions list filtered by account carries the balance after each row,
the same one the statement shows, on every page, whatever order entries were made in."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.integration.ledger.test_ledger_api import create_account, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def all_rows(client: APIClient, query: str) -> list[dict[str, Any]]:
    """Every page of the list, newest first, following the `next` links."""
    rows: list[dict[str, Any]] = []
    url: str | None = f"/api/v1/transactions?{query}"
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def expected_after_each(rows: list[dict[str, Any]], account_id: str) -> list[str]:
    """The balance after each row, summed by hand from the oldest row up."""
    total = Decimal(0)
    after: list[str] = []
    for row in reversed(rows):
        amount = Decimal(row["amount"]["amount"])
        if row["type"] == "transfer":
            into = row["to_account"] == account_id
            received = row["to_amount"]["amount"] if row["to_amount"] else None
            total += (
                Decimal(received) if into and received else amount if into else -amount
            )
        elif row["type"] in ("inflow", "opening_balance"):
            total += amount
        else:
            assert row["type"] == "outflow", row["type"]
            total -= amount
        after.append(f"{total:.2f}")
    return list(reversed(after))


def test_each_row_carries_the_balance_after_it_on_every_page(ana: APIClient) -> None:
    everyday = create_account(ana, opening_balance="500.00")
    savings = create_account(ana, name="Savings", kind="savings")
    rng = random.Random(20261202)
    start = date(2025, 1, 1)
    for _ in range(40):  # out of date order, several a day, across months
        on = (start + timedelta(days=rng.randrange(400))).isoformat()
        amount = f"{rng.randrange(1, 20000) / 100:.2f}"
        kind = rng.choice(["inflow", "outflow", "transfer_out", "transfer_in"])
        if kind.startswith("transfer"):
            ends = (everyday["id"], savings["id"])
            source, target = ends if kind == "transfer_out" else ends[::-1]
            record(
                ana,
                type="transfer",
                from_account=source,
                to_account=target,
                amount=amount,
                date=on,
            )
        else:
            record(ana, type=kind, account=everyday["id"], amount=amount, date=on)

    same_moment = [  # one batch: one day, one recording time, told apart by id
        {
            "type": "outflow",
            "account": everyday["id"],
            "amount": f"{n}.25",
            "date": "2025-06-01",
        }
        for n in range(1, 4)
    ]
    response = ana.post(
        "/api/v1/transactions/batch", {"transactions": same_moment}, format="json"
    )
    assert response.status_code == 201, response.content

    rows = all_rows(ana, f"account={everyday['id']}&limit=7")
    assert len(rows) == 44
    shown = [row["running_balance"]["amount"] for row in rows]
    assert shown == expected_after_each(rows, everyday["id"])
    final = ana.get(f"/api/v1/accounts/{everyday['id']}").json()["balance"]["amount"]
    assert shown[0] == final


def test_a_date_window_keeps_the_balances_of_the_whole_history(ana: APIClient) -> None:
    card = create_account(ana, name="Card", kind="credit_card", currency="USD")
    record(ana, type="outflow", account=card["id"], amount="30.00", date="2026-01-10")
    record(ana, type="outflow", account=card["id"], amount="20.00", date="2026-02-10")
    record(ana, type="inflow", account=card["id"], amount="5.00", date="2026-03-10")

    rows = all_rows(ana, f"account={card['id']}&date_from=2026-02-01")
    # A card is a liability: the balance is what is owed.
    assert [r["running_balance"] for r in rows] == [
        {"amount": "45.00", "currency": "USD"},
        {"amount": "50.00", "currency": "USD"},
    ]


def test_other_filters_leave_no_running_balance(ana: APIClient) -> None:
    everyday = create_account(ana, opening_balance="10.00")
    record(ana, type="outflow", account=everyday["id"], amount="2.00", payee="Bakery")

    found = all_rows(ana, f"account={everyday['id']}&q=Bakery")
    unfiltered = all_rows(ana, "")
    assert [r["running_balance"] for r in found] == [None]
    assert {r["running_balance"] for r in unfiltered} == {None}


def test_a_page_costs_the_same_queries_whatever_the_history(ana: APIClient) -> None:
    everyday = create_account(ana)

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = ana.get(f"/api/v1/transactions?account={everyday['id']}&limit=5")
        assert response.status_code == 200
        return len(captured.captured_queries)

    for day in range(1, 7):
        record(
            ana,
            type="inflow",
            account=everyday["id"],
            amount="1.00",
            date=f"2026-0{day}-01",
        )
    few = queries_for_a_page()
    for day in range(1, 29):
        record(
            ana,
            type="inflow",
            account=everyday["id"],
            amount="1.00",
            date=f"2025-02-{day:02d}",
        )
    assert queries_for_a_page() == few
