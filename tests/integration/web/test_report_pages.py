"""The report pages, the dashboard, exchange rates and valuations through the
Django test client: charts with a title, summary and table; CSV downloads; the
dashboard's net worth in the base currency with constant queries; Spanish."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.identity.infrastructure.models import User
from tests.conftest import CommittingClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana() -> User:
    return UserFactory()


@pytest.fixture
def browser(ana: User) -> Client:
    client = CommittingClient()
    client.force_login(ana)
    return client


def open_account(client: Client, **fields: Any) -> str:
    body = {"name": "Everyday", "kind": "checking", "currency": "EUR", **fields}
    response = client.post("/app/accounts/new/", body)
    assert response.status_code == 302, response.content
    return response["Location"].rstrip("/").split("/")[-1]


def spend(client: Client, account: str, amount: str, on: str) -> None:
    response = client.post(
        "/app/transactions/new/",
        {"type": "outflow", "account": account, "amount": amount, "date": on},
    )
    assert response.status_code == 302, response.content


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/app/reports/net-worth/", "Net worth over time"),
        ("/app/reports/cash-flow/", "Cash flow"),
        ("/app/reports/spending/", "Spending by category"),
    ],
)
def test_each_report_page_has_its_chart_summary_table_and_csv(
    browser: Client, url: str, title: str
) -> None:
    bank = open_account(browser, opening_balance="500")
    spend(browser, bank, "12.50", timezone.localdate().isoformat())
    page = browser.get(url).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert 'role="img"' in page and '<title id="chart-svg-title">' in page
    assert 'id="chart-summary"' in page and "<table>" in page and "<caption" in page
    assert "Download as CSV" in page
    assert "<script>" not in page


def test_the_csv_downloads_follow_the_pages_range(browser: Client) -> None:
    open_account(browser, opening_balance="500")
    for name in ("net-worth", "cash-flow", "spending"):
        response = browser.get(
            f"/app/reports/{name}.csv", {"from": "2026-01", "to": "2026-02"}
        )
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/csv")
    refused = browser.get("/app/reports/net-worth.csv", {"from": "nope"})
    assert refused.status_code == 400


def test_a_bad_range_is_said_on_the_form_and_the_default_shown(browser: Client) -> None:
    page = browser.get("/app/reports/net-worth/", {"from": "2026-13"}).content.decode()
    assert "Use a month like 2026-11" in page
    assert "<table>" in page


def test_the_dashboard_shows_net_worth_cash_flow_and_links(browser: Client) -> None:
    bank = open_account(browser, opening_balance="1000")
    spend(browser, bank, "100.00", timezone.localdate().isoformat())
    page = browser.get("/app/").content.decode()
    assert "900.00" in page  # net worth now
    assert 'id="dashboard-net-worth" data-live-refresh' in page
    assert 'id="dashboard-cash-flow" data-live-refresh' in page
    for link in (
        "/app/reports/net-worth/",
        "/app/reports/cash-flow/",
        "/app/transactions/",
        "/app/bills/",
        "/app/loans/",
    ):
        assert f'href="{link}"' in page


# The session, the person, each module's summary (the owner's settings read once)
# and the unread notifications.
DASHBOARD_QUERIES = 18


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_costs_the_same_queries_with_more_history(
    browser: Client,
) -> None:
    bank = open_account(browser, opening_balance="1000")
    today = timezone.localdate()
    spend(browser, bank, "1.00", today.isoformat())
    few = queries_for(browser, "/app/")
    assert few == DASHBOARD_QUERIES
    for days in range(1, 40, 3):
        spend(browser, bank, "1.00", (today - timedelta(days=days)).isoformat())
    open_account(browser, name="Second", opening_balance="5")
    assert queries_for(browser, "/app/") == few


def test_a_rate_is_entered_on_its_page(browser: Client) -> None:
    response = browser.post(
        "/app/exchange-rates/",
        {"base": "USD", "quote": "EUR", "rate": "0.92", "date": "2026-01-15"},
    )
    assert response.status_code == 302, response.content
    page = browser.get("/app/exchange-rates/").content.decode()
    assert "1 USD in EUR" in page and "0.92" in page
    again = browser.post(
        "/app/exchange-rates/",
        {"base": "USD", "quote": "EUR", "rate": "0.93", "date": "2026-01-15"},
    )
    assert "There is already a rate" in again.content.decode()


def test_a_property_is_valued_from_its_page(browser: Client) -> None:
    flat = open_account(browser, name="Flat", kind="property")
    detail = browser.get(f"/app/accounts/{flat}/").content.decode()
    assert f"/app/accounts/{flat}/value/" in detail
    response = browser.post(
        f"/app/accounts/{flat}/value/",
        {"value": "200000,00", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302, response.content
    assert "200,000.00" in browser.get(f"/app/accounts/{flat}/").content.decode()
    bank = open_account(browser)
    assert browser.get(f"/app/accounts/{bank}/value/").status_code == 404


def test_another_persons_account_cannot_be_valued(browser: Client) -> None:
    other = CommittingClient()
    other.force_login(UserFactory())
    flat = open_account(other, name="Flat", kind="property")
    assert browser.get(f"/app/accounts/{flat}/value/").status_code == 404


def test_reports_speak_spanish(browser: Client) -> None:
    open_account(browser, opening_balance="500")
    page = browser.get(
        "/app/reports/net-worth/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Descargar como CSV" in page


def test_the_accounts_page_adds_every_currency_up_in_the_base_one(
    browser: Client,
) -> None:
    open_account(browser, opening_balance="100")
    open_account(browser, name="Dollars", currency="USD", opening_balance="50")
    page = browser.get("/app/accounts/").content.decode()
    assert "No exchange rate from USD to EUR yet" in page
    browser.post(
        "/app/exchange-rates/",
        {
            "base": "USD",
            "quote": "EUR",
            "rate": "0.9",
            "date": timezone.localdate().isoformat(),
        },
    )
    page = browser.get("/app/accounts/").content.decode()
    assert "All together in EUR: <strong>€145.00</strong>" in page
    assert "USD at 0.9 of" in page
    assert re.search(r"Assets in EUR</dt>\s*<dd>€145.00</dd>", page)
    assert "<summary>Totals per currency</summary>" in page
