"""Reports, rates and valuations through the API: the issue's check case exact to
the cent and consistent with the account balances, CSV downloads, base-currency
conversion with the rate said, a missing rate said, and errors in the one shape."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape

pytestmark = pytest.mark.django_db

RANGE = {"from": "2025-12", "to": "2026-02"}


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def post(client: APIClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def category(client: APIClient, name: str, kind: str) -> str:
    return post(client, "/api/v1/categories", {"name": name, "kind": kind})["id"]


def flow(
    client: APIClient, kind: str, account: str, amount: str, on: str, **extra: Any
) -> None:
    post(
        client,
        "/api/v1/transactions",
        {"type": kind, "account": account, "amount": amount, "date": on, **extra},
    )


def amount(money: dict[str, str] | None) -> Decimal:
    assert money is not None
    return Decimal(money["amount"])


def the_check_case(client: APIClient) -> dict[str, Any]:
    """A bank account with a salary, a groceries bill and the 10,000.00 loan at 5%
    over 12 months, its first payment recorded."""
    bank = post(
        client,
        "/api/v1/accounts",
        {"name": "Bank", "kind": "checking", "currency": "EUR"},
    )
    salary = category(client, "Pay", "income")
    food = category(client, "Food shop", "expense")
    flow(client, "inflow", bank["id"], "3000.00", "2025-12-20", category=salary)
    flow(client, "inflow", bank["id"], "3000.00", "2026-01-20", category=salary)
    flow(client, "outflow", bank["id"], "412.35", "2026-01-22", category=food)
    loan = post(
        client,
        "/api/v1/loans",
        {
            "name": "Car loan",
            "currency": "EUR",
            "principal": "10000.00",
            "annual_rate": "5",
            "term_months": 12,
            "first_payment_on": "2026-01-31",
            "method": "annuity",
            "paid_from": bank["id"],
        },
    )
    paid = post(
        client,
        f"/api/v1/loans/{loan['id']}/payments",
        {"date": "2026-01-31", "amount": "856.07"},
    )
    return {"bank": bank, "loan": loan, "paid": paid, "food": food}


def test_the_reports_are_exact_and_agree_with_each_other_and_the_balances(
    ana: APIClient,
) -> None:
    case = the_check_case(ana)
    interest = amount(case["paid"]["interest"])
    assert interest == Decimal("41.67")

    net = ana.get("/api/v1/reports/net-worth", RANGE)
    assert net.status_code == 200, net.content
    body = net.json()
    assert (body["base_currency"], body["from"], body["to"]) == (
        "EUR",
        "2025-12",
        "2026-02",
    )
    december, january, february = body["results"]
    # December: the salary, and the loan owed from its opening (a month before).
    assert amount(december["assets"]) == Decimal("3000.00")
    assert amount(december["liabilities"]) == Decimal("10000.00")
    assert amount(december["net_worth"]) == Decimal("-7000.00")
    assert january["date"] == "2026-01-31"
    bank = ana.get(f"/api/v1/accounts/{case['bank']['id']}").json()
    owed = ana.get(f"/api/v1/accounts/{case['loan']['account']}").json()
    assert january["assets"] == bank["balance"]
    assert january["liabilities"] == owed["balance"]
    assert amount(january["net_worth"]) == amount(bank["balance"]) - amount(
        owed["balance"]
    )
    assert february["net_worth"] == january["net_worth"]

    flows = ana.get("/api/v1/reports/cash-flow", RANGE).json()["results"]
    jan_flow = flows[1]
    assert jan_flow["period"] == "2026-01"
    assert amount(jan_flow["income"]) == Decimal("3000.00")
    assert amount(jan_flow["spending"]) == Decimal("412.35") + interest
    assert amount(jan_flow["net"]) == Decimal("3000.00") - Decimal("412.35") - interest
    assert jan_flow["savings_rate"] == "84.9"
    # Net worth moved by the month's net cash flow: the principal only moved money
    # from the bank to the loan.
    change = amount(january["net_worth"]) - amount(december["net_worth"])
    assert change == amount(jan_flow["net"])

    spending = ana.get(
        "/api/v1/reports/spending-by-category", {"from": "2026-01", "to": "2026-01"}
    ).json()
    rows = {row["name"]: row for row in spending["results"]}
    assert amount(rows["Interest"]["amount"]) == interest
    assert rows["Interest"]["category"] == case["loan"]["interest_category"]
    assert amount(rows["Food shop"]["amount"]) == Decimal("412.35")
    assert amount(spending["total"]) == amount(jan_flow["spending"])
    assert sum(Decimal(r["share"]) for r in spending["results"]) == Decimal("100.0")
    grouped = ana.get(
        "/api/v1/reports/spending-by-category",
        {"from": "2026-01", "to": "2026-01", "by": "group"},
    ).json()
    assert grouped["by"] == "group" and grouped["total"] == spending["total"]


def test_every_report_downloads_as_csv(ana: APIClient) -> None:
    the_check_case(ana)
    for name in ("net-worth", "cash-flow", "spending-by-category"):
        response = ana.get(f"/api/v1/reports/{name}.csv", RANGE)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/csv")
        assert f"{name}-2025-12-2026-02.csv" in response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert rows and all(row["base_currency"] == "EUR" for row in rows)
    net = ana.get("/api/v1/reports/net-worth.csv", RANGE).content.decode()
    rows = list(csv.DictReader(io.StringIO(net)))
    assert [row["period"] for row in rows] == ["2025-12", "2026-01", "2026-02"]
    assert rows[0]["net_worth"] == rows[0]["net_worth_EUR"] == "-7000.00"


def test_other_currencies_convert_at_the_rate_of_the_day_and_say_which(
    ana: APIClient,
) -> None:
    wallet = post(
        ana, "/api/v1/accounts", {"name": "Dollars", "kind": "cash", "currency": "USD"}
    )
    flow(ana, "inflow", wallet["id"], "110.00", "2026-01-10")
    query = {"from": "2026-01", "to": "2026-01"}

    missing = ana.get("/api/v1/reports/net-worth", query).json()["results"][0]
    assert missing["net_worth"] is None and missing["missing_rates"] == ["USD"]
    assert missing["net_worth_by_currency"] == {"USD": "110.00"}

    post(
        ana,
        "/api/v1/exchange-rates",
        {"base": "EUR", "quote": "USD", "rate": "1.1", "date": "2026-01-15"},
    )
    point = ana.get("/api/v1/reports/net-worth", query).json()["results"][0]
    assert point["net_worth"] == {"amount": "100.00", "currency": "EUR"}
    assert point["missing_rates"] == []
    assert point["rates"] == [
        {
            "base": "USD",
            "quote": "EUR",
            "rate": "0.9090909091",
            "date": "2026-01-15",
            "source": "you",
        }
    ]
    flows = ana.get("/api/v1/reports/cash-flow", query).json()["results"][0]
    assert flows["income"] == {"amount": "100.00", "currency": "EUR"}


def test_exchange_rates_are_listed_said_in_use_and_refused_twice(
    ana: APIClient,
) -> None:
    body = {"base": "usd", "quote": "EUR", "rate": "0.92", "date": "2026-01-15"}
    created = post(ana, "/api/v1/exchange-rates", body)
    assert (created["base"], created["quote"], created["rate"]) == (
        "USD",
        "EUR",
        "0.92",
    )
    again = ana.post("/api/v1/exchange-rates", body, format="json")
    assert_error_shape(again, status=409, code="RATE_EXISTS")
    listed = ana.get(
        "/api/v1/exchange-rates", {"base": "USD", "quote": "EUR", "date": "2026-02-01"}
    ).json()
    assert [r["id"] for r in listed["results"]] == [created["id"]]
    assert (
        listed["in_use"]["date"] == "2026-01-15" and listed["in_use"]["rate"] == "0.92"
    )
    inverse = ana.get(
        "/api/v1/exchange-rates", {"base": "EUR", "quote": "USD", "date": "2026-01-14"}
    ).json()
    assert inverse["results"] == [] and inverse["in_use"] is None
    for query, field in (
        ({"base": "USD", "quote": "EUR", "date": ""}, "date"),
        ({"base": "USD", "quote": "EUR", "date": "15/01/2026"}, "date"),
        ({"base": "", "quote": "EUR"}, "base"),
        ({"pair": "USD-EUR"}, "pair"),
    ):
        error = assert_error_shape(ana.get("/api/v1/exchange-rates", query), status=400)
        assert error["details"][0]["field"] == field

    for bad in (
        {**body, "rate": "-1"},
        {**body, "rate": 0.92},
        {**body, "quote": "USD"},
    ):
        assert_error_shape(
            ana.post("/api/v1/exchange-rates", bad, format="json"), status=400
        )


def test_another_persons_rates_are_not_seen(ana: APIClient, signed_in: Any) -> None:
    post(
        ana,
        "/api/v1/exchange-rates",
        {"base": "USD", "quote": "EUR", "rate": "0.9", "date": "2026-01-15"},
    )
    bea = signed_in(UserFactory())
    assert bea.get("/api/v1/exchange-rates").json()["results"] == []


def test_published_rates_load_from_the_ecb_csv_and_apply_to_everyone(
    ana: APIClient, tmp_path: Path
) -> None:
    path = tmp_path / "eurofxref.csv"
    path.write_text(
        "Date, USD, JPY, GBP, \n02 January 2026, 1.2500, 160.00, N/A, \n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("load_exchange_rates", str(path), stdout=out)
    call_command("load_exchange_rates", str(path), stdout=out)  # twice: no change
    assert "Exchange rates loaded: 2; cells without a rate: 1." in out.getvalue()
    wallet = post(
        ana, "/api/v1/accounts", {"name": "Dollars", "kind": "cash", "currency": "USD"}
    )
    flow(ana, "inflow", wallet["id"], "125.00", "2026-01-10")
    point = ana.get(
        "/api/v1/reports/net-worth", {"from": "2026-01", "to": "2026-01"}
    ).json()
    (result,) = point["results"]
    assert result["net_worth"]["amount"] == "100.00"
    assert result["rates"][0]["source"] == "ECB"
    assert result["rates"][0]["date"] == "2026-01-02"


def test_a_valuation_moves_net_worth_on_its_date_not_cash_flow(ana: APIClient) -> None:
    house = post(
        ana,
        "/api/v1/accounts",
        {"name": "Flat", "kind": "property", "currency": "EUR"},
    )
    valued = post(
        ana,
        f"/api/v1/accounts/{house['id']}/valuations",
        {"value": "250000.00", "date": "2026-01-10"},
    )
    assert valued["type"] == "revaluation"
    post(
        ana,
        f"/api/v1/accounts/{house['id']}/valuations",
        {"value": "245000.50", "date": "2026-02-10"},
    )
    assert (
        ana.get(f"/api/v1/accounts/{house['id']}").json()["balance"]["amount"]
        == "245000.50"
    )
    points = ana.get(
        "/api/v1/reports/net-worth", {"from": "2025-12", "to": "2026-02"}
    ).json()["results"]
    assert [p["net_worth"]["amount"] for p in points] == [
        "0.00",
        "250000.00",
        "245000.50",
    ]
    flows = ana.get(
        "/api/v1/reports/cash-flow", {"from": "2026-01", "to": "2026-02"}
    ).json()
    assert all(p["net"]["amount"] == "0.00" for p in flows["results"])

    bank = post(
        ana, "/api/v1/accounts", {"name": "Bank", "kind": "checking", "currency": "EUR"}
    )
    refused = ana.post(
        f"/api/v1/accounts/{bank['id']}/valuations",
        {"value": "10.00", "date": "2026-01-10"},
        format="json",
    )
    error = assert_error_shape(refused, status=400, code="VALIDATION_ERROR")
    assert error["details"][0]["code"] == "not_valued"
    negative = ana.post(
        f"/api/v1/accounts/{house['id']}/valuations",
        {"value": "-1.00", "date": "2026-03-10"},
        format="json",
    )
    assert_error_shape(negative, status=400)


def test_report_queries_are_refused_in_the_one_error_shape(ana: APIClient) -> None:
    for query, field in (
        ({"from": "2026-13"}, "from"),
        ({"from": "2026-05", "to": "2026-01"}, "to"),
        ({"interval": "week"}, "interval"),
        ({"from": "1990-01", "to": "2026-01"}, "to"),
        ({"from": ""}, "from"),
        ({"to": " "}, "to"),
        ({"month": "2026-01"}, "month"),
    ):
        for path in ("/api/v1/reports/net-worth", "/api/v1/reports/cash-flow.csv"):
            error = assert_error_shape(ana.get(path, query), status=400)
            assert error["details"][0]["field"] == field
    error = assert_error_shape(
        ana.get("/api/v1/reports/spending-by-category", {"by": "payee"}), status=400
    )
    assert error["details"][0]["field"] == "by"
    assert ana.get("/api/v1/reports/forecast").status_code == 200


def test_reports_need_a_signed_in_person() -> None:
    assert APIClient().get("/api/v1/reports/net-worth").status_code == 401


def test_each_month_uses_its_last_rate_or_the_last_before_it(ana: APIClient) -> None:
    wallet = post(
        ana, "/api/v1/accounts", {"name": "Dollars", "kind": "cash", "currency": "USD"}
    )
    flow(ana, "inflow", wallet["id"], "100.00", "2025-11-10")
    for day, rate in (
        ("2025-11-03", "1.25"),
        ("2026-01-05", "2"),
        ("2026-01-20", "1.6"),
    ):
        post(
            ana,
            "/api/v1/exchange-rates",
            {"base": "EUR", "quote": "USD", "rate": rate, "date": day},
        )
    points = ana.get(
        "/api/v1/reports/net-worth", {"from": "2025-12", "to": "2026-01"}
    ).json()["results"]
    assert [p["net_worth"]["amount"] for p in points] == ["80.00", "62.50"]
    assert [p["rates"][0]["date"] for p in points] == ["2025-11-03", "2026-01-20"]
