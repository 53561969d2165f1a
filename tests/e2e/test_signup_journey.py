"""The first five minutes of a new person, in a real browser against a real server:
landing, sign-up by keyboard, the verification mail, confirmation, sign-in, the
dashboard and sign-out, with an axe-core accessibility check on every page."""

from __future__ import annotations

import re
import secrets
import time
from email.message import Message
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple 7"
BLOCKING_IMPACTS = {"serious", "critical"}
LINK = re.compile(r"https?://\S+/verify-email/#token=\S+")
MAIL_TIMEOUT = 15.0


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = Axe().run(page)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]
    for violation in blocking:
        targets = [node["target"] for node in violation["nodes"]]
        print(f"{page.url}: {violation['id']} ({violation['impact']}) {targets}")
    assert blocking == [], f"{page.url}: {[v['id'] for v in blocking]}"


def tab_to(page: Page, target: Locator, *, limit: int = 15) -> None:
    """Press Tab until `target` has focus: it must be reachable by keyboard."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"could not reach {target} with the Tab key")


def wait_for_mail(messages: list[Message], *, after: int, to: str) -> Message:
    deadline = time.monotonic() + MAIL_TIMEOUT
    while time.monotonic() < deadline:
        for message in messages[after:]:
            if message["To"] == to:
                return message
        time.sleep(0.1)
    pytest.fail(f"no mail to {to} within {MAIL_TIMEOUT}s")


def text_body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload: Any = part.get_payload(decode=True)
            return bytes(payload).decode(part.get_content_charset() or "utf-8")
    pytest.fail("the mail has no text/plain part")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def test_sign_up_confirm_sign_in_and_sign_out(
    page: Page, smtp_sink: tuple[int, list[Any]]
) -> None:
    _, messages = smtp_sink
    sent_before = len(messages)
    email = f"e2e-{secrets.token_hex(4)}@example.com"

    page.goto("/")
    expect(page).to_have_title(re.compile(r"\| Finance$"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Create your account").click()
    expect(heading(page)).to_have_text("Create your account")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    terms = page.get_by_label("I accept the terms of service and the privacy policy")
    tab_to(page, terms)
    page.keyboard.press("Space")
    expect(terms).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Create account"))
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Check your email")
    assert_accessible(page)
    mail = wait_for_mail(messages, after=sent_before, to=email)
    link = LINK.search(text_body(mail))
    assert link, text_body(mail)

    page.goto(link.group(0))
    expect(heading(page)).to_have_text("Confirm your email")
    # The page's script took the token from the fragment and dropped it.
    expect(page.get_by_label("Code from the email")).to_have_value(re.compile(r".+"))
    expect(page).not_to_have_url(re.compile(r"token="))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my email").click()

    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_contain_text(
        "Your email address is confirmed"
    )
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")

    expect(heading(page)).to_have_text(f"Welcome, {email}")
    expect(page.get_by_role("table")).to_contain_text("Signed in")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text("You have signed out.")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Sign in")
    assert_accessible(page)
