"""Closing an account in a real browser: the Your data page states what is kept
and for how long, the account is closed by keyboard with the password, sign-in is
refused, and the mailed link reopens it with a new password; axe-core on every
page."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_signup_journey import (
    LINK,
    PASSWORD,
    assert_accessible,
    heading,
    tab_to,
    text_body,
    wait_for_mail,
)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a brand new passphrase 88"
REOPEN = re.compile(r"https?://\S+/account/reopen/#token=\S+")


def signed_up(page: Page, messages: list[Any]) -> str:
    """A new, verified person, made through the API; returns their address."""
    email = f"close-{secrets.token_hex(4)}@example.com"
    sent_before = len(messages)
    body = {"email": email, "password": PASSWORD, "accepted_terms": True}
    assert page.request.post("/api/v1/users", data=body).status == 201
    token = LINK.search(text_body(wait_for_mail(messages, after=sent_before, to=email)))
    assert token
    verified = page.request.post(
        "/api/v1/email-verifications",
        data={"token": token.group(0).split("token=", 1)[1]},
    )
    assert verified.status == 204
    return email


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")


def test_close_by_keyboard_and_reopen_from_the_mail(
    page: Page, smtp_sink: tuple[int, list[Any]]
) -> None:
    _, messages = smtp_sink
    email = signed_up(page, messages)
    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/$"))

    page.goto("/app/privacy/")
    expect(heading(page)).to_have_text("Your data")
    expect(
        page.get_by_role("table", name="How long each kind of data is kept")
    ).to_contain_text("365 days")
    assert_accessible(page)
    sent_before = len(messages)
    tab_to(page, page.get_by_label("Your password"), limit=40)
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_role("button", name="Close my account"))
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Your account is closed")
    assert_accessible(page)
    sign_in(page, email, PASSWORD)
    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("alert")).to_be_visible()

    link = REOPEN.search(
        text_body(wait_for_mail(messages, after=sent_before, to=email))
    )
    assert link
    page.goto(link.group(0))
    expect(heading(page)).to_have_text("Reopen your account")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password, again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Reopen my account").click()

    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_contain_text("Your account is open again")
    sign_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/app/$"))
