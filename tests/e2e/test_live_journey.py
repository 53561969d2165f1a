"""Live updates in a real browser: a page left open on the accounts list follows what
the same person records elsewhere (another page, the API), the bell counts a new
notification, and after the server restarts the page reconnects by itself and
catches up, all without a reload.

This module runs its own server, which it can restart on the same port with the same
environment (the in-memory channel layer dies with the process), on its own database.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.conftest import (
    BASE_DIR,
    _migrate,
    _server_env,
    _wait_until_healthy,
    e2e_database,
    free_port,
)
from tests.e2e.test_ledger_journey import DEMO_EMAIL, DEMO_PASSWORD, sign_in
from tests.e2e.test_signup_journey import assert_accessible, heading

pytestmark = pytest.mark.e2e

LIVE_DATABASE = "finance_e2e_live"  # not the session server's: both may be up at once
LIVE_TIMEOUT = 5_000  # ms for a change to reach an open page
RECONNECT_TIMEOUT = 25_000  # ms: a restart plus live.js's backoff
MINUS_SIGN = "\u2212"
ASSET = "Asset (what you own)"
# Recorded by the page itself: every text #live-status showed, and every message the
# page sent on a websocket (to see `resume`).
SPIES = """
window.__statusLog = [];
window.__sent = [];
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  window.__sent.push(String(data));
  return send.call(this, data);
};
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("live-status");
  if (!status) return;
  new MutationObserver(() => window.__statusLog.push(status.textContent)).observe(
    status, { childList: true, characterData: true, subtree: true }
  );
});
"""


# --- A server this module can restart ------------------------------------------------


class RestartableServer:
    """One Daphne process at a time on a fixed port, with a fixed environment."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env = env
        self.port = port
        self.log = log
        self.url = env["SITE_URL"]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        daphne = str(Path(sys.executable).parent / "daphne")
        command = [daphne, "-b", "127.0.0.1", "-p", str(self.port)]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [*command, "config.asgi:application"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        _wait_until_healthy(self.url, self.process, self.log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def restartable_server(
    tmp_path_factory: pytest.TempPathFactory, smtp_sink: tuple[int, list[Message]]
) -> Iterator[RestartableServer]:
    tmp_dir = tmp_path_factory.mktemp("e2e-live")
    port = free_port()
    with e2e_database(tmp_dir, LIVE_DATABASE) as database_url:
        env = _server_env(database_url=database_url, smtp_port=smtp_sink[0], port=port)
        _migrate(env)
        server = RestartableServer(env, port, tmp_dir / "server.log")
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def person(
    browser: Any, restartable_server: RestartableServer
) -> Iterator[BrowserContext]:
    """The demo person's browser window, signed in once; each test opens its pages."""
    context = browser.new_context(base_url=restartable_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    context.add_init_script(SPIES)
    try:
        sign_in(context.new_page())
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def api(restartable_server: RestartableServer) -> Api:
    return Api(restartable_server.url)


@pytest.fixture
def tab(person: BrowserContext) -> Iterator[Page]:
    """A fresh page in the signed-in window; pages are closed after each test so the
    person stays under the per-person socket limit."""
    for stale in person.pages:
        stale.close()
    page = person.new_page()
    yield page
    page.close()


# --- The API, as another device would use it -----------------------------------------


class Api:
    """Signed in once (sign-ins are rate limited); the token outlives a restart."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.token = ""
        session = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        self.token = str(self._call("POST", "/api/v1/sessions", session)["access"])

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(  # noqa: S310 - our own http URL
            f"{self.url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def account_id(self, name: str) -> str:
        accounts = self._call("GET", "/api/v1/accounts")["results"]
        return next(str(a["id"]) for a in accounts if a["name"] == name)

    def money_out(self, name: str, amount: Decimal) -> None:
        self._call(
            "POST",
            "/api/v1/transactions",
            {
                "type": "outflow",
                "account": self.account_id(name),
                "amount": str(amount),
                "date": yesterday(),
                "payee": "From the API",
            },
        )


# --- Reading the accounts page --------------------------------------------------------


def yesterday() -> str:
    """A date that is neither in the future nor before the demo accounts opened."""
    return (date.today() - timedelta(days=1)).isoformat()


def amount_of(text: str) -> Decimal:
    """`€2,500.00`, or `$12.50` after a minus sign, as a number."""
    found = re.search(r"\d[\d,]*\.\d{2}", text)
    assert found, f"no amount in {text!r}"
    value = Decimal(found.group().replace(",", ""))
    return -value if MINUS_SIGN in text or "-" in text else value


def shown(value: Decimal) -> re.Pattern[str]:
    """How a plain (asset or total) amount reads on the page, whatever the symbol."""
    sign = MINUS_SIGN if value < 0 else ""
    return re.compile(rf"^{sign}\D*{re.escape(f'{abs(value):,.2f}')}$")


def account_row(page: Page, name: str) -> Locator:
    link = page.get_by_role("link", name=name, exact=True)
    return page.locator("#accounts-live tbody tr").filter(has=link)


def balance_cell(page: Page, name: str) -> Locator:
    return account_row(page, name).locator("td.num")


def totals_cells(page: Page, currency: str) -> tuple[Locator, Locator]:
    """The assets and net cells of one currency in the totals table."""
    row = page.locator(".totals-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=currency, exact=True)
    )
    return row.locator("td.num").nth(0), row.locator("td.num").nth(2)


def open_accounts(page: Page) -> None:
    """The accounts list, with its socket up and a marker that a reload would lose."""
    page.goto("/app/accounts/")
    expect(heading(page)).to_have_text("Accounts")
    expect(page.locator("#live-status")).to_have_attribute(
        "data-state", re.compile("^(live|updated)$"), timeout=LIVE_TIMEOUT
    )
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


# --- The journeys -----------------------------------------------------------------------


def test_a_transaction_from_another_page_updates_the_open_accounts_page(
    person: BrowserContext, tab: Page
) -> None:
    page_a = tab
    open_accounts(page_a)
    name = "Everyday account"
    assets, net = totals_cells(page_a, "EUR")
    before = amount_of(balance_cell(page_a, name).inner_text())
    assets_before = amount_of(assets.inner_text())
    net_before = amount_of(net.inner_text())
    spent = Decimal("12.34")

    page_b = person.new_page()
    page_b.goto("/app/transactions/new/")
    page_b.get_by_label("Money out").check()
    page_b.get_by_label("Date", exact=True).fill(yesterday())
    page_b.get_by_label("Amount", exact=True).fill(str(spent))
    page_b.get_by_label("Account", exact=True).select_option(label=f"{name} (EUR)")
    page_b.get_by_label("Payee or payer").fill("Bakery")
    page_b.get_by_label("Payee or payer").press("Enter")
    expect(page_b.locator(".messages")).to_contain_text("has been recorded")

    expect(balance_cell(page_a, name)).to_have_text(
        shown(before - spent), timeout=LIVE_TIMEOUT
    )
    expect(assets).to_have_text(shown(assets_before - spent))
    expect(net).to_have_text(shown(net_before - spent))
    expect(page_a.locator("#live-status")).to_have_text("Updated just now")
    assert_not_reloaded(page_a)


def test_a_transaction_through_the_api_updates_the_open_accounts_page(
    tab: Page, api: Api
) -> None:
    open_accounts(tab)
    name = "Savings"
    assets, net = totals_cells(tab, "EUR")
    before = amount_of(balance_cell(tab, name).inner_text())
    assets_before = amount_of(assets.inner_text())
    net_before = amount_of(net.inner_text())
    spent = Decimal("40.00")

    api.money_out(name, spent)

    expect(balance_cell(tab, name)).to_have_text(
        shown(before - spent), timeout=LIVE_TIMEOUT
    )
    expect(assets).to_have_text(shown(assets_before - spent))
    expect(net).to_have_text(shown(net_before - spent))
    assert_not_reloaded(tab)


def test_an_overdrawn_account_rings_the_bell_and_lists_the_notification(
    tab: Page, api: Api
) -> None:
    open_accounts(tab)
    name = "Dollar wallet"
    expect(account_row(tab, name)).to_contain_text(ASSET)
    before = amount_of(balance_cell(tab, name).inner_text())
    assert before >= 0, f"{name} must start from zero or more, not {before}"
    bell = tab.locator("#bell-count")
    unread_before = int(bell.get_attribute("data-count") or 0)
    spent = before + Decimal("25.00")

    api.money_out(name, spent)

    expect(balance_cell(tab, name)).to_have_text(
        shown(Decimal("-25.00")), timeout=LIVE_TIMEOUT
    )
    expect(bell).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(bell).to_have_attribute("data-count", str(unread_before + 1))
    expect(bell).to_contain_text(f"{unread_before + 1} unread")
    assert_not_reloaded(tab)

    title = f"{name} is overdrawn"
    tab.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(heading(tab)).to_have_text("Notifications")
    item = tab.locator("li.notification").filter(
        has=tab.get_by_role("heading", name=title)
    )
    expect(item).to_have_count(1)
    expect(item).to_contain_text("New")
    assert_accessible(tab)

    mark = tab.get_by_role("button", name=f"Mark “{title}” as read")
    mark.focus()
    tab.keyboard.press("Enter")
    expect(mark).to_have_count(0)
    expect(item).not_to_contain_text("New")
    expect(tab.locator("#bell-count")).to_have_attribute(
        "data-count", str(unread_before)
    )
    if unread_before == 0:
        expect(tab.locator("#bell-count")).to_be_hidden()
    assert_accessible(tab)


def test_after_a_server_restart_the_page_reconnects_and_catches_up(
    tab: Page, api: Api, restartable_server: RestartableServer
) -> None:
    open_accounts(tab)
    name = "Savings"
    before = amount_of(balance_cell(tab, name).inner_text())
    # One event seen before the restart, so that reconnecting resumes after it.
    api.money_out(name, Decimal("1.00"))
    expect(balance_cell(tab, name)).to_have_text(
        shown(before - Decimal("1.00")), timeout=LIVE_TIMEOUT
    )
    last_seen = tab.evaluate("sessionStorage.getItem('finance.lastEventId')")
    assert last_seen, "the page kept no event id to resume from"
    tab.evaluate("window.__statusLog = []; window.__sent = []")

    restartable_server.stop()
    expect(tab.locator("#live-status")).to_have_text("Reconnecting…")
    restartable_server.start()
    # Recorded as soon as the new process answers: the page has most likely not
    # reconnected yet, and must catch up when it does.
    spent = Decimal("7.00")
    api.money_out(name, spent)

    expect(balance_cell(tab, name)).to_have_text(
        shown(before - Decimal("1.00") - spent), timeout=RECONNECT_TIMEOUT
    )
    tab.wait_for_function(
        "window.__statusLog.includes('Live updates on')", timeout=RECONNECT_TIMEOUT
    )
    sent = [json.loads(message) for message in tab.evaluate("window.__sent")]
    assert {"type": "resume", "after": last_seen} in sent
    expect(tab.locator("#live-status")).to_have_attribute(
        "data-state", re.compile("^(live|updated)$")
    )
    assert_not_reloaded(tab)
