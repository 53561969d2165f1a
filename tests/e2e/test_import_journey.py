"""Importing a statement in a real browser: upload a CSV, map its columns and keep
them as a profile, review, confirm, then import the same file again with the
profile and see 0 new; axe-core on every page visited."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_ledger_journey import sign_in
from tests.e2e.test_signup_journey import assert_accessible

pytestmark = pytest.mark.e2e


def choose_file(page: Page, content: bytes) -> None:
    page.get_by_label("Statement file").set_input_files(
        {"name": "statement.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_label("Into the account").select_option(label="Everyday account (EUR)")


def test_import_a_csv_confirm_and_import_it_again(page: Page) -> None:
    sign_in(page)
    shop = f"Corner shop {secrets.token_hex(3)}"
    bank = f"My bank {secrets.token_hex(3)}"
    content = (
        f"Date;Amount;Payee\n02.11.2026;-4,50;{shop}\n02.11.2026;-4,50;{shop}\n"
    ).encode("cp1252")
    page.goto("/app/imports/")
    expect(page.get_by_role("heading", name="Import a statement")).to_be_visible()
    assert_accessible(page)
    choose_file(page, content)
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Which column holds what")).to_be_visible()
    expect(
        page.get_by_role("table", name="The first lines of the file")
    ).to_contain_text(shop)
    assert_accessible(page)
    page.get_by_label("Date column").select_option("Date")
    page.get_by_label("Date format").select_option(label="31.12.2026")
    page.get_by_label("Amount column (signed)").select_option("Amount")
    page.get_by_label("Payee column").select_option("Payee")
    page.get_by_label("Amounts use a decimal comma (1.234,56)").check()
    page.get_by_label("Save as an import profile named").fill(bank)
    page.get_by_role("button", name="Read the file").click()

    expect(page.get_by_text("2 new, 0 already imported")).to_be_visible()
    review = page.get_by_role("table", name="Lines of the statement")
    expect(review).to_contain_text(shop)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and record").click()
    expect(page.get_by_text("Status: Recorded")).to_be_visible()

    page.goto("/app/imports/")
    choose_file(page, content)
    page.get_by_label("Import profile").select_option(label=bank)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page).to_have_url(re.compile(r"/app/imports/[0-9a-f-]+/$"))
    expect(page.get_by_text("0 new, 2 already imported")).to_be_visible()
    assert_accessible(page)
