"""A budget in a real browser: a new person sets a monthly budget of 200.00 on a
category, spends 150.00 and then 40.00 from another page, and the open budgets page
follows without a reload: spent 190.00, remaining 10.00, the bar at 95% and the bell
ringing for the 80% threshold. axe-core on every budget page."""

from __future__ import annotations

import re
import secrets
from datetime import date
from email.message import Message
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_signup_journey import (
    LINK,
    PASSWORD,
    assert_accessible,
    heading,
    text_body,
    wait_for_mail,
)

pytestmark = pytest.mark.e2e

LIVE_TIMEOUT = 5_000  # ms for a change to reach an open page


def sign_up_and_in(page: Page, messages: list[Message]) -> None:
    """A new person with nothing recorded yet (their starter categories only)."""
    email = f"budget-{secrets.token_hex(4)}@example.com"
    sent_before = len(messages)
    page.goto("/signup/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I accept the terms of service and the privacy policy").check()
    page.get_by_role("button", name="Create account").click()
    expect(heading(page)).to_have_text("Check your email")
    link = LINK.search(text_body(wait_for_mail(messages, after=sent_before, to=email)))
    assert link
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my email").click()
    expect(heading(page)).to_have_text("Sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(heading(page)).to_have_text(f"Welcome, {email}")


def spend(page: Page, amount: str) -> None:
    page.goto("/app/transactions/new/")
    page.get_by_label("Money out").check()
    page.get_by_label("Date", exact=True).fill(date.today().isoformat())
    page.get_by_label("Amount", exact=True).fill(amount)
    page.get_by_label("Account", exact=True).select_option(label="Everyday (EUR)")
    page.get_by_label("Category", exact=True).select_option(label="Food: Groceries")
    page.get_by_label("Payee or payer").fill("Market")
    page.get_by_label("Payee or payer").press("Enter")
    expect(page.locator(".messages")).to_contain_text("has been recorded")


def test_a_budget_follows_spending_live(
    browser: Any, site_server: str, smtp_sink: tuple[int, list[Message]]
) -> None:
    context = browser.new_context(base_url=site_server, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_up_and_in(page, smtp_sink[1])
        page.goto("/app/accounts/new/")
        page.get_by_label("Name").fill("Everyday")
        page.get_by_label("Kind of account").select_option("checking")
        page.get_by_label("Currency").select_option("EUR")
        page.get_by_label("Balance today").fill("1000.00")
        page.get_by_role("button", name="Open account").click()
        expect(page.get_by_role("status")).to_contain_text("opened")

        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Budgets"
        ).click()
        expect(heading(page)).to_have_text("Budgets")
        assert_accessible(page)
        page.get_by_role("link", name="Set a budget").first.click()
        expect(heading(page)).to_have_text("Set a budget")
        assert_accessible(page)
        page.get_by_label("Category or group").select_option(label="Groceries")
        page.get_by_label("Period", exact=True).select_option("month")
        expect(page.get_by_label("Currency", exact=True)).to_have_value("EUR")
        page.get_by_label("Limit per period").fill("200.00")
        page.get_by_label("Limit per period").press("Enter")  # by keyboard
        expect(page.get_by_role("status")).to_contain_text("Your budget has been set")
        expect(page.locator(".budget-figures")).to_contain_text("€0.00 of €200.00, 0%")
        assert_accessible(page)

        budgets = context.new_page()
        budgets.goto("/app/budgets/")
        expect(budgets.locator("#live-status")).to_have_attribute(
            "data-state", re.compile("^(live|updated)$"), timeout=LIVE_TIMEOUT
        )
        budgets.evaluate("window.__marker = 1")
        bar = budgets.get_by_role("progressbar", name="Groceries")
        bell = budgets.locator("#bell-count")
        expect(bell).to_be_hidden()

        spend(page, "150.00")
        expect(budgets.locator(".budget-figures")).to_contain_text(
            "€150.00 of €200.00, 75%", timeout=LIVE_TIMEOUT
        )
        expect(bell).to_be_hidden()
        spend(page, "40.00")

        figures = budgets.locator(".budget-figures")
        expect(figures).to_contain_text("€190.00 of €200.00, 95%", timeout=LIVE_TIMEOUT)
        expect(figures).to_contain_text("Remaining: €10.00")
        expect(bar).to_have_attribute("value", "95.0")
        expect(budgets.locator(".budget-bar")).to_contain_text("Nearly used")
        expect(bell).to_be_visible(timeout=LIVE_TIMEOUT)
        expect(bell).to_contain_text("1 unread")
        assert budgets.evaluate("window.__marker") == 1, "the page was reloaded"
        assert_accessible(budgets)

        budgets.get_by_role("link", name=re.compile("^Notifications")).click()
        expect(
            budgets.get_by_role("heading", name=re.compile("Groceries has reached 80%"))
        ).to_be_visible()

        budgets.goto("/app/")
        expect(budgets.locator("#dashboard-budgets")).to_contain_text(
            "€190.00 of €200.00, 95%"
        )
        page.goto("/app/budgets/")
        page.get_by_role("link", name="Groceries", exact=True).click()
        expect(heading(page)).to_have_text("Groceries")
        assert_accessible(page)
        page.get_by_role("link", name="Edit or archive").click()
        assert_accessible(page)
        page.get_by_label("Archived").check()
        page.get_by_role("button", name="Save budget").click()
        expect(page.get_by_role("status")).to_contain_text("The budget has been saved")
        page.goto("/app/budgets/")
        expect(page.get_by_role("heading", name="Archived budgets")).to_be_visible()
    finally:
        context.close()
