"""Two-step sign-in in a real browser, by keyboard: turn it on from the settings,
sign out, sign in with a code, then export everything and download the zip, with
an axe-core check on every page on the way (issue 13 item 9, ADR 0019)."""

from __future__ import annotations

import io
import json
import re
import secrets
import time
import urllib.request
import zipfile
from email.message import Message
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_signup_journey import (
    assert_accessible,
    heading,
    tab_to,
    text_body,
    wait_for_mail,
)

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple 8"
TOKEN = re.compile(r"#token=([\w\-:.]+)")


def _post(site: str, path: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(  # noqa: S310 - our own http URL
        f"{site}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)


def signed_up_person(site: str, messages: list[Message]) -> str:
    """A new, verified person, made through the API and the verification mail."""
    email = f"e2e-2fa-{secrets.token_hex(4)}@example.com"
    before = len(messages)
    body = {"email": email, "password": PASSWORD, "accepted_terms": True}
    assert _post(site, "/api/v1/users", body) == 201
    match = TOKEN.search(text_body(wait_for_mail(messages, after=before, to=email)))
    assert match
    assert _post(site, "/api/v1/email-verifications", {"token": match.group(1)}) == 204
    return email


def sign_in_by_keyboard(page: Page, email: str) -> None:
    page.goto("/login/")
    field = page.get_by_label("Email address")
    tab_to(page, field, limit=40)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_turn_on_two_step_sign_out_sign_in_with_a_code_and_export(
    page: Page, site_server: str, smtp_sink: tuple[int, list[Message]]
) -> None:
    email = signed_up_person(site_server, smtp_sink[1])
    sign_in_by_keyboard(page, email)
    expect(page).to_have_url(re.compile(r"/app/$"))

    page.goto("/app/settings/")
    assert_accessible(page)
    turn_on = page.get_by_role("button", name="Turn on two-step sign-in")
    tab_to(page, turn_on, limit=80)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Turn on two-step sign-in")
    assert_accessible(page)
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    code = page.get_by_role("textbox", name="Code")
    tab_to(page, code, limit=40)
    page.keyboard.type(totp.now())
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Two-step sign-in is on")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)

    sign_out = page.get_by_role("button", name="Sign out", exact=True).first
    sign_out.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))

    sign_in_by_keyboard(page, email)
    expect(heading(page)).to_have_text("Enter your code")
    assert_accessible(page)
    code = page.get_by_role("textbox", name="Code")
    tab_to(page, code, limit=40)
    page.keyboard.type(totp.at(time.time() + 30))  # the confirmation used this step
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/app/$"))

    page.goto("/app/privacy/")
    export = page.get_by_role("button", name="Export my data")
    tab_to(page, export, limit=80)
    page.keyboard.press("Enter")
    # A button that POSTs the export's token: it is never in a URL (ADR 0026).
    download_link = page.get_by_role("button", name=re.compile("Download the zip"))
    deadline = time.monotonic() + 30
    while not download_link.count() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    assert_accessible(page)
    with page.expect_download() as download:
        download_link.focus()
        page.keyboard.press("Enter")
    path = download.value.path()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        names = set(archive.namelist())
        assert {"consents.json", "security_events.json"} <= names
        consents = json.loads(archive.read("consents.json"))
    assert [row["kind"] for row in consents] == ["terms"]
