"""The ledger in a real browser: open an account, record money out, a cross-currency
transfer, reverse one and adjust a balance, reading exact balances on the pages, with
axe-core on every page visited."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_signup_journey import assert_accessible, heading

pytestmark = pytest.mark.e2e

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password-2026"  # the published demo credential


def sign_in(page: Page) -> None:
    page.goto("/login/")
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/app/$"))


def balance_of(page: Page, name: str) -> str:
    page.goto("/app/accounts/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name))
    return row.inner_text()


def test_accounts_transactions_reversal_and_adjustment(page: Page) -> None:
    sign_in(page)
    page.goto("/app/accounts/")
    expect(heading(page)).to_be_visible()
    assert_accessible(page)

    name = f"Travel {secrets.token_hex(2)}"
    page.goto("/app/accounts/new/")
    assert_accessible(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Kind of account").select_option("wallet")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label("Balance today").fill("50.00")
    page.get_by_role("button", name="Open account").click()
    expect(page.get_by_role("status")).to_contain_text("Your account has been opened")
    assert_accessible(page)

    page.goto("/app/transactions/new/")
    assert_accessible(page)
    page.get_by_label("Money out").check()
    page.get_by_label("Date", exact=True).fill("2026-11-20")
    page.get_by_label("Amount", exact=True).fill("12.34")
    page.get_by_label("Account", exact=True).select_option(label=f"{name} (USD)")
    page.get_by_label("Payee or payer").fill("Kiosk")
    page.get_by_role("button", name="Record transaction").click()
    expect(page.get_by_role("status")).to_contain_text("has been recorded")
    assert "37.66" in balance_of(page, name)

    page.goto("/app/transactions/new/")
    page.get_by_label("Transfer between your accounts").check()
    page.get_by_label("Date", exact=True).fill("2026-11-21")
    page.get_by_label("Amount", exact=True).fill("10.00")
    page.get_by_label("From account").select_option(label="Everyday account (EUR)")
    page.get_by_label("To account").select_option(label=f"{name} (USD)")
    page.get_by_label("Amount received").fill("10.84")
    page.get_by_role("button", name="Record transaction").click()
    expect(page.get_by_role("status")).to_contain_text("has been recorded")
    assert "48.50" in balance_of(page, name)

    page.goto("/app/transactions/?q=Kiosk")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Reverse")).first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Reverse this transaction").click()
    expect(page.get_by_role("status")).to_contain_text("has been reversed")
    assert "60.84" in balance_of(page, name)

    page.get_by_role("link", name=name).click()
    assert_accessible(page)
    page.get_by_role("link", name="Adjust balance").click()
    assert_accessible(page)
    page.get_by_label("Balance your bank shows").fill("61.00")
    page.get_by_label("Date of that balance").fill("2026-11-22")
    page.get_by_role("button", name="Adjust balance").click()
    expect(page.get_by_role("status")).to_contain_text("has been adjusted")
    assert "61.00" in balance_of(page, name)
    assert_accessible(page)
