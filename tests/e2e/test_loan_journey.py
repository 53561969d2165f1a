"""A loan in a real browser: add one, read its schedule, record the first payment and
see what is owed and the dashboard's net worth move by exactly the payment's split
(in the accounts table and, once a dollar rate is entered, in the net-worth card in
the base currency); then the reports, with axe-core on every page visited."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_ledger_journey import sign_in
from tests.e2e.test_signup_journey import assert_accessible, heading

pytestmark = pytest.mark.e2e


def net_worth_in_euros(page: Page) -> Decimal:
    """The dashboard's "Net worth in EUR" row, read as a number."""
    page.goto("/app/")
    row = page.get_by_role("row", name=re.compile("Net worth in EUR"))
    text = row.get_by_role("cell").inner_text()
    number = re.sub(r"[^\d.\u2212-]", "", text).replace("\u2212", "-")
    return Decimal(number)


def amount_in(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.\u2212-]", "", text).replace("\u2212", "-"))


def card_net_worth(page: Page) -> Decimal:
    """The dashboard's net-worth card: every currency in the base one (EUR)."""
    page.goto("/app/")
    return amount_in(page.locator("#dashboard-net-worth .figure-big").inner_text())


def enter_a_dollar_rate(page: Page) -> None:
    page.goto("/app/exchange-rates/")
    expect(heading(page)).to_have_text("Exchange rates")
    assert_accessible(page)
    page.get_by_label("One unit of").select_option("USD")
    page.get_by_label("buys this much of").select_option("EUR")
    page.get_by_label("Rate", exact=True).fill("0.9")
    page.get_by_role("button", name="Save rate").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The exchange rate has been saved"
    )


def test_add_a_loan_pay_it_and_see_the_balance_change(page: Page) -> None:
    sign_in(page)
    before = net_worth_in_euros(page)
    enter_a_dollar_rate(page)
    card_before = card_net_worth(page)
    assert_accessible(page)

    page.get_by_role("link", name="Loans", exact=True).click()
    expect(heading(page)).to_have_text("Loans")
    assert_accessible(page)

    name = f"Car loan {secrets.token_hex(2)}"
    page.goto("/app/loans/new/")
    assert_accessible(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Amount borrowed").fill("10000.00")
    page.get_by_label("Annual interest rate (%)").fill("5")
    page.get_by_label("Term in months").fill("12")
    page.get_by_label("First payment").fill("2026-01-31")
    page.get_by_label("Repayment method").select_option("annuity")
    page.get_by_label("Paid from").select_option(label="Everyday account (EUR)")
    page.get_by_role("button", name="Add loan").click()

    expect(page.get_by_role("status")).to_contain_text("Your loan has been added")
    expect(heading(page)).to_contain_text(name)
    expect(page.locator("#loan-balance")).to_have_text("€10,000.00 owed")
    schedule = page.get_by_role("table", name=re.compile("^Every payment"))
    expect(schedule.get_by_role("row")).to_have_count(14)  # head, 12 rows, total
    expect(schedule).to_contain_text("€856.07")
    expect(
        page.get_by_role("img", name="What you owe after each payment")
    ).to_be_visible()
    assert_accessible(page)
    # Taking out the loan adds what is owed to the liabilities.
    assert net_worth_in_euros(page) == before - Decimal("10000.00")

    page.go_back()
    page.get_by_label("Date paid").fill("2026-01-31")
    page.get_by_role("button", name="Record payment").click()

    expect(page.get_by_role("status")).to_contain_text("Payment 1 has been recorded")
    expect(page.locator("#loan-balance")).to_have_text("€9,185.60 owed")
    first = schedule.get_by_role("row").nth(1)
    expect(first).to_contain_text("Paid")
    assert_accessible(page)
    # The payment moves money from the bank (856.07) to the loan (814.40): net worth
    # falls by the interest alone, 41.67.
    assert net_worth_in_euros(page) == before - Decimal("10000.00") - Decimal("41.67")
    assert card_net_worth(page) == card_before - Decimal("10000.00") - Decimal("41.67")
    expect(page.locator("#dashboard-net-worth")).to_contain_text("USD at 0.9")

    for link, title in (
        ("Net worth over time", "Net worth over time"),
        ("Cash flow by month", "Cash flow"),
    ):
        page.goto("/app/")
        page.get_by_role("link", name=link).click()
        expect(heading(page)).to_have_text(title)
        expect(page.get_by_role("img").first).to_be_visible()
        assert_accessible(page)
    page.get_by_role("link", name="Spending by category").first.click()
    expect(heading(page)).to_have_text("Spending by category")
    expect(page.get_by_role("table")).to_contain_text("Interest")
    assert_accessible(page)
