"""The account and ledger pages, driven through the Django test client as a browser
would: opening accounts, recording and reversing transactions, adjusting a balance,
categories, the running balance and its query budget, tenant isolation, Spanish,
form errors on their fields, labels on every control, and the read-only admin."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.identity.infrastructure.models import User
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.money import Money
from modules.transactions.api import unit_of_work as ledger_uow
from modules.transactions.application.use_cases import RecordFlow, record_transaction
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure.models import Category, Entry
from tests.conftest import CommittingClient
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import passed_second_factor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# After the opening balance (dated today), so the statement order is predictable.
DAY = (TODAY + timedelta(days=1)).isoformat()
MINUS = "\u2212"
STATEMENT_QUERY_BUDGET = 11  # the page, its window and prefetch, what is older
ASCII_SPACE = re.compile(r"[ \t\r\n\f]+")


# --- Helpers -------------------------------------------------------------------
class Page(HTMLParser):
    """Tables (by caption), form controls, labels and the robots tag of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.robots: str | None = None
        self._caption: str | None = None
        self._in_caption = False
        self._in_body = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **attributes})
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(str(attributes["for"]))
        elif tag == "meta" and attributes.get("name") == "robots":
            self.robots = attributes.get("content")
        elif tag == "caption":
            self._caption, self._in_caption = "", True
        elif tag in ("tbody", "tfoot"):
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
            self.tables.setdefault(self.caption, [])
        elif tag in ("tbody", "tfoot"):
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(squeeze("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self.caption].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self._caption = (self._caption or "") + data
        elif self._cell is not None:
            self._cell.append(data)

    @property
    def caption(self) -> str:
        return squeeze(self._caption or "")

    def table(self, starts_with: str) -> list[list[str]]:
        found = [
            rows for name, rows in self.tables.items() if name.startswith(starts_with)
        ]
        assert found, f"no table captioned {starts_with!r} in {list(self.tables)}"
        return found[0]


def squeeze(text: str) -> str:
    """Collapse layout whitespace only: amounts keep their no-break spaces."""
    return ASCII_SPACE.sub(" ", text).strip()


def parse(response: Any) -> Page:
    assert response.status_code == 200, response.status_code
    page = Page()
    page.feed(response.content.decode())
    return page


def money(amount: str, currency: str, language: str = "en") -> str:
    """How a page writes an amount: the locale's format and a real minus sign."""
    value = Money.parse(amount, currency, signed=True)
    text = abs(value).format(language)
    return f"{MINUS}{text}" if value.is_negative() else text


def signed_in_client(user: User) -> Client:
    client = CommittingClient()
    client.force_login(user)
    return client


@pytest.fixture
def ana() -> User:
    return UserFactory()


@pytest.fixture
def browser(ana: User) -> Client:
    return signed_in_client(ana)


def open_account(client: Client, **fields: Any) -> UUID:
    body = {"name": "Everyday", "kind": "checking", "currency": "EUR", **fields}
    response = client.post("/app/accounts/new/", body)
    assert response.status_code == 302, _errors(response)
    return UUID(response["Location"].rstrip("/").rsplit("/", 1)[-1])


def record(client: Client, **fields: Any) -> Entry:
    before = set(Entry.all_tenants.values_list("id", flat=True))
    response = client.post("/app/transactions/new/", {"date": DAY, **fields})
    assert response.status_code == 302, _errors(response)
    return Entry.all_tenants.exclude(id__in=before).get()


def _errors(response: Any) -> object:
    context = getattr(response, "context", None)
    return context["form"].errors if context and "form" in context else response


def category(user: User, name: str) -> UUID:
    return Category.all_tenants.get(tenant_id=user.tenant_id, name=name).id


def reverse(client: Client, entry: Entry) -> None:
    confirm = client.get(f"/app/transactions/{entry.id}/reverse/")
    assert confirm.status_code == 200
    response = client.post(f"/app/transactions/{entry.id}/reverse/", {"date": DAY})
    assert response.status_code == 302, _errors(response)


def balances(client: Client) -> dict[str, str]:
    rows = parse(client.get("/app/accounts/")).table("Your accounts")
    return {row[0]: row[-1] for row in rows}


# --- Journeys --------------------------------------------------------------------
def test_money_in_out_transfers_reversal_and_adjustment_show_exact_balances(
    browser: Client, ana: User
) -> None:
    everyday = open_account(browser, opening_balance="100.00")
    savings = open_account(browser, name="Savings", kind="savings")
    dollars = open_account(browser, name="Dollars", kind="savings", currency="USD")
    card = open_account(
        browser, name="Card", kind="credit_card", opening_balance="200.00"
    )

    salary, groceries = category(ana, "Salary"), category(ana, "Groceries")
    record(
        browser,
        type="inflow",
        account=everyday,
        amount="1000.10",
        category=salary,
        payee="Employer",
    )
    spent = record(
        browser, type="outflow", account=everyday, amount="42.55", category=groceries
    )
    record(
        browser,
        type="transfer",
        from_account=everyday,
        to_account=savings,
        amount="50.00",
    )
    record(
        browser,
        type="transfer",
        from_account=everyday,
        to_account=dollars,
        amount="100.00",
        to_amount="108.40",
    )
    record(browser, type="outflow", account=card, amount="50,00")
    assert balances(browser)["Everyday"] == money("907.55", "EUR")

    reverse(browser, spent)
    assert balances(browser)["Everyday"] == money("950.10", "EUR")

    adjusted = browser.post(
        f"/app/accounts/{everyday}/adjust/", {"balance": "1234.56", "date": DAY}
    )
    assert adjusted.status_code == 302

    page = parse(browser.get("/app/accounts/"))
    shown = {row[0]: row[-1] for row in page.table("Your accounts")}
    assert shown == {
        "Card": f"{money('250.00', 'EUR')} owed",
        "Dollars": money("108.40", "USD"),
        "Everyday": money("1234.56", "EUR"),
        "Savings": money("50.00", "EUR"),
    }
    totals = {row[0]: row[1:] for row in page.table("Assets, liabilities")}
    assert totals == {
        "EUR": [
            money("1284.56", "EUR"),
            f"{money('250.00', 'EUR')} owed",
            money("1034.56", "EUR"),
        ],
        "USD": [
            money("108.40", "USD"),
            f"{money('0.00', 'USD')} owed",
            money("108.40", "USD"),
        ],
    }


def test_reversed_and_reversal_rows_are_marked_in_words(
    browser: Client, ana: User
) -> None:
    account = open_account(browser, opening_balance="10.00")
    spent = record(
        browser, type="outflow", account=account, amount="3.00", payee="Bakery"
    )
    reverse(browser, spent)
    rows = parse(browser.get("/app/transactions/")).table("All transactions")
    marked = {(row[2], "Reversed" in row[1]) for row in rows if "Bakery" in row[1]}
    assert marked == {("Reversal", False), ("Money out", True)}

    again = browser.get(f"/app/transactions/{spent.id}/reverse/")
    assert b"already been reversed" in again.content
    refused = browser.post(f"/app/transactions/{spent.id}/reverse/", {"date": DAY})
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert balances(browser)["Everyday"] == money("10.00", "EUR")


def test_a_liability_reads_as_owed_and_an_overpaid_one_as_in_credit(
    browser: Client,
) -> None:
    card = open_account(browser, name="Card", kind="credit_card", opening_balance="5")
    record(browser, type="inflow", account=card, amount="7.50")
    assert balances(browser)["Card"] == f"{money('2.50', 'EUR')} in credit"


def test_categories_create_rename_move_archive_and_restore(
    browser: Client, ana: User
) -> None:
    food = category(ana, "Food")
    created = browser.post(
        "/app/categories/", {"name": "Bakery", "kind": "expense", "parent": food}
    )
    assert created.status_code == 302
    bakery = category(ana, "Bakery")
    lifestyle = category(ana, "Lifestyle")
    url = f"/app/categories/{bakery}/"
    moved = browser.post(url, {"name": "Bread", "parent": lifestyle})
    assert moved.status_code == 302
    row = Category.all_tenants.get(id=bakery)
    assert (row.name, row.parent_id, row.archived_at) == ("Bread", lifestyle, None)

    assert browser.post(url, {"name": "Bread", "parent": lifestyle, "archived": "on"})
    assert Category.all_tenants.get(id=bakery).archived_at is not None
    rows = parse(browser.get("/app/categories/")).table("Expense categories")
    assert ["Bread", "Lifestyle", "Archived", "Edit Bread"] in rows
    form = browser.get("/app/transactions/new/").context["form"]
    assert str(bakery) not in str(form.fields["category"].choices)

    browser.post(url, {"name": "Bread", "parent": lifestyle})
    assert Category.all_tenants.get(id=bakery).archived_at is None


# --- The statement and its running balance ----------------------------------------
def seed_flows(user: User, account: UUID, count: int) -> list[int]:
    """`count` entries straight through the use case (fast), two a day after the
    opening; returns their signed amounts in cents, oldest first."""
    amounts = [(-1) ** n * (100 + n) for n in range(count)]
    start = TODAY + timedelta(days=1)
    with tenant_scope(user.tenant_id):
        for n, cents in enumerate(amounts):
            direction = EntryKind.INFLOW if cents > 0 else EntryKind.OUTFLOW
            record_transaction(
                uow=ledger_uow(),
                command=RecordFlow(
                    direction=direction,
                    account_id=account,
                    amount=str(Money.from_minor(abs(cents), "EUR").amount),
                    on=start + timedelta(days=n // 2),
                ),
            )
    return amounts


def statement_pages(client: Client, account: UUID) -> list[Any]:
    """Every page of the statement, newest first, by its "Older transactions" links."""
    pages, url = [], f"/app/accounts/{account}/"
    while url:
        response = client.get(url)
        pages.append(response)
        url = older_link(response)
    return pages


def older_link(response: Any) -> str:
    return page_link(response, "next")


def page_link(response: Any, rel: str) -> str:
    """The pagination link `rel` ("next" is older, "prev" newer), as a full path."""
    found = re.search(rf'href="([^"]*)" rel="{rel}"'.encode(), response.content)
    if not found:
        return ""
    return response.wsgi_request.path + html.unescape(found.group(1).decode())


def statement_balances(response: Any) -> list[str]:
    return [row[5] for row in parse(response).table("Transactions, newest first")]


def expected_running(opening: int, amounts: list[int]) -> list[str]:
    """Balances after each line, newest first, as the page writes them."""
    running, after = opening, []
    for cents in amounts:
        running += cents
        after.append(money(str(Money.from_minor(running, "EUR").amount), "EUR"))
    return list(reversed(after))


def test_running_balance_is_right_across_pages(browser: Client, ana: User) -> None:
    account = open_account(browser, opening_balance="500.00")
    amounts = seed_flows(ana, account, 60)
    first, last = statement_pages(browser, account)
    shown = statement_balances(first) + statement_balances(last)
    opening_line = money("500.00", "EUR")
    assert shown == [*expected_running(50000, amounts), opening_line]
    assert len(statement_balances(first)) == 50
    assert b"Older transactions" in first.content
    assert b"Newer transactions" not in first.content
    assert b"Older transactions" not in last.content
    assert b"Newer transactions" in last.content
    back = browser.get(page_link(last, "prev"))
    assert statement_balances(back) == statement_balances(first)


def test_a_cursor_that_does_not_parse_shows_the_newest_page(
    browser: Client, ana: User
) -> None:
    account = open_account(browser, opening_balance="5.00")
    for cursor in ("nonsense", "9999-99-99~1", "9999-12-31~" + "9" * 40, ""):
        page = browser.get(f"/app/accounts/{account}/", {"before": cursor})
        assert statement_balances(page) == [money("5.00", "EUR")]
        listing = browser.get("/app/transactions/", {"after": cursor})
        assert listing.status_code == 200
    entry = "00000000-0000-0000-0000-000000000000"
    for moment in (
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:00:00-05:00",
        "2026-01-01T00:00:00",
    ):
        for direction in ("before", "after"):
            cursor = f"2026-01-01~{moment}~{entry}"
            listing = browser.get("/app/transactions/", {direction: cursor})
            assert listing.status_code == 200, (direction, moment)


def test_running_balance_of_a_liability_counts_what_is_owed(
    browser: Client,
) -> None:
    card = open_account(browser, name="Card", kind="credit_card", opening_balance="20")
    record(browser, type="outflow", account=card, amount="5.00")
    record(browser, type="inflow", account=card, amount="15.00")
    rows = parse(browser.get(f"/app/accounts/{card}/")).table("Transactions")
    assert [(row[4], row[5]) for row in rows] == [
        (money("15.00", "EUR"), f"{money('10.00', 'EUR')} owed"),
        (money("-5.00", "EUR"), f"{money('25.00', 'EUR')} owed"),
        (money("-20.00", "EUR"), f"{money('20.00', 'EUR')} owed"),
    ]


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_account_page_costs_the_same_queries_for_20_or_60_lines(
    browser: Client, ana: User, django_assert_max_num_queries: Any
) -> None:
    small = open_account(browser, name="Small")
    large = open_account(browser, name="Large")
    seed_flows(ana, small, 20)
    seed_flows(ana, large, 60)
    with django_assert_max_num_queries(STATEMENT_QUERY_BUDGET):
        browser.get(f"/app/accounts/{small}/")
    with django_assert_max_num_queries(STATEMENT_QUERY_BUDGET):
        browser.get(f"/app/accounts/{large}/")
    assert queries_for(browser, f"/app/accounts/{small}/") == queries_for(
        browser, f"/app/accounts/{large}/"
    )
    older = older_link(browser.get(f"/app/accounts/{large}/"))
    assert queries_for(browser, older) == queries_for(
        browser, f"/app/accounts/{small}/"
    )


def test_transaction_list_costs_the_same_queries_for_20_or_60_rows(
    browser: Client, ana: User
) -> None:
    account = open_account(browser)
    seed_flows(ana, account, 20)
    few = queries_for(browser, "/app/transactions/")
    seed_flows(ana, account, 40)
    assert queries_for(browser, "/app/transactions/") == few
    assert queries_for(browser, older_link(browser.get("/app/transactions/"))) == few


def test_the_transaction_list_pages_through_everything_once(
    browser: Client, ana: User
) -> None:
    account = open_account(browser, opening_balance="1.00")
    seed_flows(ana, account, 120)  # many share a date: the key breaks the ties
    seen, url = [], "/app/transactions/"
    while url:
        response = browser.get(url)
        seen += re.findall(
            rb'href="/app/transactions/([0-9a-f-]{36})/reverse/', response.content
        )
        url = older_link(response)
    assert (
        len(seen)
        == len(set(seen))
        == Entry.all_tenants.filter(tenant_id=ana.tenant_id).count()
    )


# --- Filters ---------------------------------------------------------------------
def test_filters_narrow_the_list(browser: Client, ana: User) -> None:
    everyday = open_account(browser)
    other = open_account(browser, name="Other")
    groceries = category(ana, "Groceries")
    record(
        browser,
        type="outflow",
        account=everyday,
        amount="42.55",
        category=groceries,
        payee="Market",
    )
    # A week after the Market (dated DAY), whatever the date the test runs on.
    refund_on = TODAY + timedelta(days=8)
    record(
        browser,
        type="inflow",
        account=other,
        amount="5.00",
        payee="Refund",
        date=refund_on.isoformat(),
    )

    def payees(**query: Any) -> list[str]:
        page = parse(browser.get("/app/transactions/", query))
        captioned = [rows for name, rows in page.tables.items() if "newest" in name]
        return sorted(row[1] for rows in captioned for row in rows)

    assert payees() == ["Market", "Refund"]
    assert payees(account=everyday) == ["Market"]
    assert payees(category=category(ana, "Food")) == ["Market"]
    assert payees(date_from=(refund_on - timedelta(days=1)).isoformat()) == ["Refund"]
    assert payees(amount_min="10", amount_max="50") == ["Market"]
    assert payees(q="refu") == ["Refund"]
    assert payees(amount_min="abc") == ["Market", "Refund"]


# --- Tenancy -----------------------------------------------------------------------
def test_another_person_gets_404_for_every_page_of_anothers_ids(
    browser: Client, ana: User
) -> None:
    account = open_account(browser, opening_balance="10.00")
    spent = record(browser, type="outflow", account=account, amount="1.00")
    groceries = category(ana, "Groceries")
    ben = signed_in_client(UserFactory())

    for url in (
        f"/app/accounts/{account}/",
        f"/app/accounts/{account}/adjust/",
        f"/app/accounts/{account}/edit/",
        f"/app/transactions/{spent.id}/reverse/",
        f"/app/categories/{groceries}/",
    ):
        assert ben.get(url).status_code == 404, url
    posts = {
        f"/app/accounts/{account}/adjust/": {"balance": "0", "date": DAY},
        f"/app/accounts/{account}/edit/": {"name": "Mine now"},
        f"/app/transactions/{spent.id}/reverse/": {"date": DAY},
        f"/app/categories/{groceries}/": {"name": "Mine now"},
    }
    for url, body in posts.items():
        assert ben.post(url, body).status_code == 404, url

    assert str(account) not in ben.get("/app/accounts/").content.decode()
    assert str(spent.id) not in ben.get("/app/transactions/").content.decode()
    stolen = ben.post(
        "/app/transactions/new/",
        {"type": "outflow", "account": account, "amount": "1.00", "date": DAY},
    )
    assert "account" in stolen.context["form"].errors
    assert balances(browser)["Everyday"] == money("9.00", "EUR")
    assert Category.all_tenants.get(id=groceries).name == "Groceries"


def test_pages_need_a_signed_in_person(client: Client) -> None:
    for url in ("/app/accounts/", "/app/transactions/", "/app/categories/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- Language --------------------------------------------------------------------
def test_spanish_pages_have_spanish_labels_and_amounts(
    browser: Client, ana: User
) -> None:
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    account = open_account(browser, opening_balance="1234,56")
    record(browser, type="outflow", account=account, amount="0,56")

    listing = browser.get("/app/accounts/")
    page = parse(listing)
    assert "<h1>Cuentas</h1>" in listing.content.decode()
    assert page.table("Tus cuentas")[0][-1] == money("1234.00", "EUR", "es")
    assert money("1234.00", "EUR", "es") == "1.234,00\xa0€"

    detail = parse(browser.get(f"/app/accounts/{account}/"))
    newest = detail.table("Movimientos")[0]
    assert newest[0] == (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")
    assert newest[2] == "Gasto"
    assert newest[4] == f"{MINUS}0,56\xa0€"
    form = browser.get("/app/transactions/new/").content.decode()
    assert "Tipo de movimiento" in form and "Por ejemplo: 1234,50." in form


# --- Form errors -------------------------------------------------------------------
@pytest.fixture
def accounts(browser: Client) -> dict[str, UUID]:
    return {
        "eur": open_account(browser, opening_balance="10.00"),
        "usd": open_account(browser, name="Dollars", currency="USD"),
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "outflow", "amount": "1.00"}, "account"),
        ({"type": "outflow", "account": "eur", "amount": "-1.00"}, "amount"),
        ({"type": "outflow", "account": "eur", "amount": "0"}, "amount"),
        ({"type": "outflow", "account": "eur", "amount": "1.001"}, "amount"),
        ({"type": "outflow", "account": "eur", "amount": "1,234.50"}, "amount"),
        ({"type": "outflow", "account": "eur", "amount": ""}, "amount"),
        ({"type": "outflow", "account": "eur", "amount": "1", "date": ""}, "date"),
        (
            {"type": "outflow", "account": "eur", "amount": "1", "category": "Salary"},
            "category",
        ),
        ({"type": "transfer", "amount": "1.00", "to_account": "usd"}, "from_account"),
        (
            {
                "type": "transfer",
                "from_account": "eur",
                "to_account": "eur",
                "amount": "1",
            },
            "to_account",
        ),
        (
            {
                "type": "transfer",
                "from_account": "eur",
                "to_account": "usd",
                "amount": "1",
            },
            "to_amount",
        ),
        (
            {
                "type": "transfer",
                "from_account": "eur",
                "to_account": "usd",
                "amount": "1",
                "to_amount": "1.005",
            },
            "to_amount",
        ),
    ],
)
def test_transaction_form_errors_land_on_their_field(
    browser: Client,
    ana: User,
    accounts: dict[str, UUID],
    body: dict[str, str],
    field: str,
) -> None:
    names = {**accounts, "Salary": category(ana, "Salary")}
    data = {"date": DAY, **{k: names.get(v, v) for k, v in body.items()}}
    before = Entry.all_tenants.count()
    response = browser.post("/app/transactions/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert f'href="#id_{field}"' in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert Entry.all_tenants.count() == before


def test_account_forms_put_errors_on_their_field(
    browser: Client, accounts: dict[str, UUID]
) -> None:
    opened = browser.post(
        "/app/accounts/new/",
        {
            "name": "X",
            "kind": "checking",
            "currency": "EUR",
            "opening_balance": "1.234",
        },
    )
    assert "opening_balance" in opened.context["form"].errors
    unnamed = browser.post(
        "/app/accounts/new/", {"kind": "checking", "currency": "EUR"}
    )
    assert "name" in unnamed.context["form"].errors

    same = browser.post(
        f"/app/accounts/{accounts['eur']}/adjust/", {"balance": "10.00", "date": DAY}
    )
    assert "balance" in same.context["form"].errors
    bad = browser.post(
        f"/app/accounts/{accounts['eur']}/adjust/", {"balance": "ten", "date": DAY}
    )
    assert "balance" in bad.context["form"].errors


def test_category_forms_put_errors_on_their_field(browser: Client, ana: User) -> None:
    salary = category(ana, "Salary")
    wrong_kind = browser.post(
        "/app/categories/", {"name": "Tips", "kind": "expense", "parent": salary}
    )
    assert "parent" in wrong_kind.context["form"].errors
    taken = browser.post("/app/categories/", {"name": "salary", "kind": "income"})
    assert "name" in taken.context["form"].errors
    food = category(ana, "Food")
    into_a_child = browser.post(
        f"/app/categories/{food}/", {"name": "Food", "parent": category(ana, "Housing")}
    )
    assert "parent" in into_a_child.context["form"].errors


def test_an_archived_account_takes_no_new_transactions(
    browser: Client, accounts: dict[str, UUID]
) -> None:
    url = f"/app/accounts/{accounts['eur']}/edit/"
    assert browser.post(url, {"name": "Old", "archived": "on"}).status_code == 302
    page = parse(browser.get("/app/accounts/"))
    assert page.table("Archived accounts")[0][0] == "Old Archived"
    assert "Old" not in {row[0] for row in page.table("Your accounts")}
    response = browser.post(
        "/app/transactions/new/",
        {"type": "outflow", "account": accounts["eur"], "amount": "1", "date": DAY},
    )
    assert "account" in response.context["form"].errors
    restored = browser.post(url, {"name": "Everyday"})
    assert restored.status_code == 302
    assert "Everyday" in balances(browser)


# --- Accessibility markers ------------------------------------------------------------
def pages_of(client: Client, user: User) -> Iterator[tuple[str, Any]]:
    account = open_account(client, opening_balance="10.00")
    spent = record(client, type="outflow", account=account, amount="1.00")
    for url in (
        "/app/",
        "/app/accounts/",
        "/app/accounts/new/",
        f"/app/accounts/{account}/",
        f"/app/accounts/{account}/adjust/",
        f"/app/accounts/{account}/edit/",
        "/app/transactions/",
        "/app/transactions/new/",
        f"/app/transactions/{spent.id}/reverse/",
        "/app/categories/",
        f"/app/categories/{category(user, 'Groceries')}/",
    ):
        yield url, client.get(url)


def test_every_control_has_a_label_and_pages_are_not_indexed(
    browser: Client, ana: User
) -> None:
    for url, response in pages_of(browser, ana):
        page = parse(response)
        assert page.robots == "noindex, nofollow", url
        assert response["X-Robots-Tag"] == "noindex, nofollow", url
        unlabelled = [
            control
            for control in page.controls
            if control.get("type") not in ("hidden", "submit")
            and control.get("id") not in page.label_targets
        ]
        assert unlabelled == [], url
        for rows_caption in page.tables:
            assert rows_caption, url


def test_radio_groups_are_fieldsets_with_a_legend(browser: Client) -> None:
    content = browser.get("/app/transactions/new/").content.decode()
    legend = content.index("<legend>Type of transaction</legend>")
    fieldset = content.rindex("<fieldset", 0, legend)
    closing = content.index("</fieldset>", legend)
    assert content[fieldset:closing].count('type="radio"') == 3


def test_dashboard_summarises_the_accounts(browser: Client) -> None:
    empty = browser.get("/app/").content.decode()
    assert "You have no accounts yet." in empty
    open_account(browser, opening_balance="12.30")
    rows = parse(browser.get("/app/")).table("Open accounts")
    assert rows == [
        ["Everyday", money("12.30", "EUR")],
        ["Net worth in EUR", money("12.30", "EUR")],
    ]


def test_new_account_preselects_the_base_currency(browser: Client, ana: User) -> None:
    ana.profile.base_currency = "MXN"
    ana.profile.save()
    form = browser.get("/app/accounts/new/").context["form"]
    assert form["currency"].value() == "MXN"


# --- Admin -----------------------------------------------------------------------
@pytest.fixture
def staff() -> Client:
    admin = User.objects.create_superuser("root@example.com", PASSWORD)
    client = CommittingClient()
    client.force_login(admin)
    return passed_second_factor(client)


def test_the_ledger_is_read_only_in_the_admin(
    staff: Client, browser: Client, ana: User
) -> None:
    account = open_account(browser, opening_balance="10.00")
    entry = record(browser, type="outflow", account=account, amount="1.00")
    posting = entry.postings.model.all_tenants.filter(entry=entry).first()
    assert staff.get("/admin/transactions/entry/").status_code == 200
    detail = staff.get(f"/admin/transactions/entry/{entry.id}/change/")
    assert detail.status_code == 200
    assert b'name="payee"' not in detail.content
    assert staff.get("/admin/transactions/entry/add/").status_code == 403
    assert staff.get("/admin/transactions/posting/add/").status_code == 403
    changed = staff.post(
        f"/admin/transactions/entry/{entry.id}/change/", {"payee": "Changed"}
    )
    assert changed.status_code == 403
    for model, pk in (("entry", entry.id), ("posting", posting.pk)):
        deleted = staff.post(
            f"/admin/transactions/{model}/{pk}/delete/", {"post": "yes"}
        )
        assert deleted.status_code == 403, model
    assert Entry.all_tenants.get(id=entry.id).payee == ""


def test_category_group_choices_in_the_admin_are_the_tenants_own(
    staff: Client, ana: User
) -> None:
    ben = UserFactory()
    groceries = category(ana, "Groceries")
    url = f"/admin/transactions/category/{groceries}/change/"
    form = staff.get(url).context["adminform"].form
    choices = form.fields["parent"].queryset
    assert {c.tenant_id for c in choices} == {ana.tenant_id}
    assert all(c.parent_id is None for c in choices)
    bens_food = category(ben, "Food")
    response = staff.post(url, {"name": "Groceries", "parent": bens_food})
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    housing = category(ana, "Housing")
    moved = staff.post(url, {"name": "Groceries", "parent": housing})
    assert moved.status_code == 302
    assert Category.all_tenants.get(id=groceries).parent_id == housing


def test_account_admin_lists_and_searches_across_tenants(
    staff: Client, browser: Client
) -> None:
    account = open_account(browser, name="Findable")
    found = staff.get("/admin/accounts/account/", {"q": "Findable"})
    assert found.status_code == 200
    assert b"Findable" in found.content
    assert staff.get("/admin/accounts/account/", {"q": str(account)}).status_code == 200
    assert staff.get("/admin/accounts/account/add/").status_code == 403
