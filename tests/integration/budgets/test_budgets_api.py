"""Budgets through the API: set on a category or a group, current figures from the
ledger's monthly totals, past periods with rollover, archive, another person's
budget is a 404, and the same few queries for 1 or 50 budgets."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from modules.budgets.domain.periods import PeriodKind, period_containing
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.ledger.test_ledger_api import category_named, create_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def today() -> date:
    return timezone.now().date()  # the person's time zone is UTC by default


def spend(
    client: APIClient, account: dict[str, Any], amount: str, category: str, **kw: Any
) -> dict[str, Any]:
    body = {
        "type": "outflow",
        "account": account["id"],
        "amount": amount,
        "category": category,
        "date": str(kw.pop("on", today())),
        **kw,
    }
    response = client.post("/api/v1/transactions", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def create_budget(client: APIClient, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/budgets", {"period": "month", **fields}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_monthly_budget_shows_spent_remaining_and_percent(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    budget = create_budget(ana, category=groceries, amount="200.00")
    assert budget["name"] == "Groceries"
    assert budget["currency"] == "EUR"  # the person's base currency
    assert budget["current"]["spent"] == {"amount": "0.00", "currency": "EUR"}

    spend(ana, account, "150.00", groceries)
    spend(ana, account, "40.00", groceries)
    spend(ana, account, "99.00", category_named(ana, "Fuel"))  # another category
    month = period_containing(PeriodKind.MONTH, today())
    spend(ana, account, "7.00", groceries, on=month.starts_on - timedelta(days=1))

    current = ana.get(f"/api/v1/budgets/{budget['id']}").json()["current"]
    assert current["starts_on"] == str(month.starts_on)
    assert current["ends_on"] == str(month.ends_on)
    assert current["limit"]["amount"] == "200.00"
    assert current["spent"]["amount"] == "190.00"
    assert current["remaining"]["amount"] == "10.00"
    assert current["percent_used"] == "95.0"
    assert current["rolled_over"]["amount"] == "0.00"


def test_a_reversal_gives_the_money_back_to_the_budget(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    budget = create_budget(ana, category=groceries, amount="200.00")
    paid = spend(ana, account, "50.00", groceries)
    response = ana.post(
        f"/api/v1/transactions/{paid['id']}/reversals", {}, format="json"
    )
    assert response.status_code == 201, response.content
    current = ana.get(f"/api/v1/budgets/{budget['id']}").json()["current"]
    assert current["spent"]["amount"] == "0.00"


def test_a_group_budget_counts_every_category_in_it(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    food = category_named(ana, "Food")
    budget = create_budget(ana, category_group=food, amount="300.00", period="year")
    assert budget["category_group"] == food
    spend(ana, account, "20.00", category_named(ana, "Groceries"))
    spend(ana, account, "30.00", category_named(ana, "Restaurants and cafés"))
    spend(ana, account, "5.00", category_named(ana, "Fuel"))
    current = ana.get(f"/api/v1/budgets/{budget['id']}").json()["current"]
    assert current["spent"]["amount"] == "50.00"
    assert current["starts_on"] == f"{today().year}-01-01"


def test_a_weekly_budget_counts_only_its_days(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    week = period_containing(PeriodKind.WEEK, today())
    spend(ana, account, "10.00", groceries, on=week.starts_on)
    spend(ana, account, "1.00", groceries, on=week.starts_on - timedelta(days=1))
    spend(ana, account, "2.00", groceries, on=week.ends_on + timedelta(days=1))
    budget = create_budget(ana, category=groceries, amount="50.00", period="week")
    current = budget["current"]
    assert (current["starts_on"], current["ends_on"]) == (
        str(week.starts_on),
        str(week.ends_on),
    )
    assert current["spent"]["amount"] == "10.00"


def test_past_periods_roll_over_what_was_left_and_overspent(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    this_month = period_containing(PeriodKind.MONTH, today())
    last = this_month.previous()
    before_last = last.previous()
    budget = create_budget(
        ana,
        category=groceries,
        amount="100.00",
        rollover=True,
        starts_on=str(before_last.starts_on),
    )
    spend(ana, account, "60.00", groceries, on=before_last.ends_on)  # 40.00 left
    spend(ana, account, "170.00", groceries, on=last.starts_on)  # 30.00 over
    current = ana.get(f"/api/v1/budgets/{budget['id']}").json()["current"]
    assert current["rolled_over"]["amount"] == "-30.00"
    assert current["limit"]["amount"] == "70.00"

    history = ana.get(f"/api/v1/budgets/{budget['id']}/periods").json()
    assert history["next"] is None
    [newest, oldest] = history["results"]
    assert newest["starts_on"] == str(last.starts_on)
    assert newest["rolled_over"]["amount"] == "40.00"
    assert newest["limit"]["amount"] == "140.00"
    assert newest["spent"]["amount"] == "170.00"
    assert oldest["remaining"]["amount"] == "40.00"

    page = ana.get(f"/api/v1/budgets/{budget['id']}/periods?limit=1").json()
    assert [p["starts_on"] for p in page["results"]] == [str(last.starts_on)]
    assert page["next"] is not None
    older = ana.get(page["next"]).json()
    assert [p["starts_on"] for p in older["results"]] == [str(before_last.starts_on)]
    assert older["next"] is None


def test_change_the_limit_then_archive_and_restore(ana: APIClient) -> None:
    groceries = category_named(ana, "Groceries")
    budget = create_budget(ana, category=groceries, amount="200.00")
    url = f"/api/v1/budgets/{budget['id']}"
    changed = ana.patch(url, {"amount": "250.00", "name": "Food"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["amount"]["amount"] == "250.00"
    assert changed.json()["name"] == "Food"
    assert ana.delete(url).status_code == 204
    assert ana.get(url).json()["archived"] is True
    restored = ana.patch(url, {"archived": False}, format="json")
    assert restored.json()["archived"] is False


def test_bad_input_answers_in_the_one_error_shape(ana: APIClient) -> None:
    groceries = category_named(ana, "Groceries")
    salary = category_named(ana, "Salary")
    for body in (
        {"amount": "200.00"},  # no category
        {"category": groceries, "amount": "0.00"},
        {"category": groceries, "amount": 200},
        {"category": salary, "amount": "10.00"},  # not a spending category
        {"category_group": groceries, "amount": "10.00"},  # not a group
    ):
        response = ana.post(
            "/api/v1/budgets", {"period": "month", **body}, format="json"
        )
        assert_error_shape(response, status=400, code="VALIDATION_ERROR")


def test_another_persons_budget_is_a_404(ana: APIClient, signed_in: Any) -> None:
    budget = create_budget(
        ana, category=category_named(ana, "Groceries"), amount="9.00"
    )
    bea = signed_in(UserFactory())
    url = f"/api/v1/budgets/{budget['id']}"
    assert_error_shape(bea.get(url), status=404, code="NOT_FOUND")
    assert_error_shape(
        bea.patch(url, {"amount": "1.00"}, format="json"), status=404, code="NOT_FOUND"
    )
    assert_error_shape(bea.delete(url), status=404, code="NOT_FOUND")
    assert_error_shape(bea.get(f"{url}/periods"), status=404, code="NOT_FOUND")
    assert bea.get("/api/v1/budgets").json()["results"] == []
    bea_groceries = category_named(bea, "Groceries")
    assert_error_shape(
        ana.post(
            "/api/v1/budgets",
            {"period": "month", "category": bea_groceries, "amount": "1.00"},
            format="json",
        ),
        status=400,
    )


def list_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/budgets?limit=100")
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_the_list_runs_the_same_queries_for_1_or_50_budgets(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    names = ["Groceries", "Fuel", "Travel", "Shopping", "Utilities"]
    ids = [category_named(ana, name) for name in names]
    create_budget(ana, category=ids[0], amount="10.00", period="week", rollover=True)
    for category in ids:
        spend(ana, account, "1.00", category)
    one = list_queries(ana)
    for n in range(49):
        create_budget(
            ana,
            category=ids[n % len(ids)],
            amount="10.00",
            period=["week", "month", "year"][n % 3],
            rollover=n % 2 == 0,
            starts_on=str(today() - timedelta(days=40 * n)),
        )
    assert len(ana.get("/api/v1/budgets?limit=100").json()["results"]) == 50
    assert list_queries(ana) == one


def test_a_retried_post_sets_one_budget(ana: APIClient) -> None:
    body = {"category": category_named(ana, "Groceries"), "period": "month"}
    first = ana.post(
        "/api/v1/budgets",
        {**body, "amount": "9.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="budget-1",
    )
    again = ana.post(
        "/api/v1/budgets",
        {**body, "amount": "9.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="budget-1",
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = ana.post(
        "/api/v1/budgets",
        {**body, "amount": "8.00"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="budget-1",
    )
    assert_error_shape(other, status=422, code="IDEMPOTENCY_KEY_REUSED")
    assert len(ana.get("/api/v1/budgets").json()["results"]) == 1


def test_spending_in_another_currency_is_converted_or_said_unconverted(
    ana: APIClient,
) -> None:
    euros = create_account(ana, opening_balance="1000.00")
    dollars = create_account(
        ana, name="Travel", currency="USD", opening_balance="1000.00"
    )
    groceries = category_named(ana, "Groceries")
    budget = create_budget(ana, category=groceries, amount="200.00")
    month = period_containing(PeriodKind.MONTH, today())
    spend(ana, euros, "50.00", groceries, on=month.starts_on)
    spend(ana, dollars, "11.00", groceries, on=month.starts_on)

    before = ana.get(f"/api/v1/budgets/{budget['id']}").json()["current"]
    assert before["spent"]["amount"] == "50.00"  # the dollars are not guessed
    assert before["unconverted"] == [{"amount": "11.00", "currency": "USD"}]

    rate = ana.post(
        "/api/v1/exchange-rates",
        {
            "base": "EUR",
            "quote": "USD",
            "rate": "1.1",
            "date": str(month.starts_on - timedelta(days=3)),
        },
        format="json",
    )
    assert rate.status_code == 201, rate.content
    after = ana.get(f"/api/v1/budgets/{budget['id']}").json()["current"]
    assert after["spent"]["amount"] == "60.00"  # 11.00 USD / 1.1 = 10.00 EUR
    assert after["remaining"]["amount"] == "140.00"
    assert after["unconverted"] == []
