"""Recurring transactions in a real browser: create a rule from the form, see its
upcoming dates, then the forecast page with its chart, table and summary, with
axe-core on every page visited."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_ledger_journey import sign_in
from tests.e2e.test_signup_journey import assert_accessible

pytestmark = pytest.mark.e2e


def test_create_a_rule_then_see_its_dates_and_the_forecast(page: Page) -> None:
    sign_in(page)
    name = f"Rent {secrets.token_hex(3)}"
    page.goto("/app/recurring/new/")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Type").select_option("outflow")
    page.get_by_label("Account", exact=True).select_option(
        label="Everyday account (EUR)"
    )
    page.get_by_label("Amount", exact=True).fill("187.60")
    page.get_by_label("Payee").fill("Landlord")
    page.get_by_label("Repeats").select_option("monthly")
    page.get_by_label("Day of the month").select_option(
        label="The last day of the month"
    )
    page.get_by_label("Starts on").fill(date.today().isoformat())
    page.get_by_role("button", name="Save recurring transaction").click()

    expect(page).to_have_url(re.compile(r"/app/recurring/$"))
    expect(page.get_by_role("status")).to_contain_text("has been saved")
    rules = page.get_by_role("table", name="Your recurring transactions", exact=True)
    expect(rules).to_contain_text(name)
    expect(rules).to_contain_text("Every month on the last day")
    upcoming = page.get_by_role(
        "table", name="Upcoming dates of your recurring transactions"
    )
    expect(upcoming).to_contain_text(name)
    assert_accessible(page)

    page.get_by_role("link", name="Forecast", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/app/forecast/$"))
    page.get_by_label("Days ahead").select_option("90")
    page.get_by_label("Account", exact=True).select_option(
        label="Everyday account (EUR)"
    )
    page.get_by_role("button", name="Show forecast").click()
    expect(page.locator(".forecast-summary")).to_contain_text("Lowest:")
    expect(
        page.get_by_role("img", name=re.compile("Projected daily balance"))
    ).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile("Projected balance of"))
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bills", exact=True).first.click()
    expect(page.get_by_role("heading", name="Bills", exact=True)).to_be_visible()
    assert_accessible(page)
