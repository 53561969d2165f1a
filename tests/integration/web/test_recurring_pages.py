"""The recurring pages through the Django test client: a rule created from the form,
its upcoming dates, pause, skip and edit, bills paid from the page, the forecast chart
with its table and summary, labels, Spanish, and another person's ids as 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from django.test import Client

from modules.identity.infrastructure.models import User
from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.recurring.infrastructure.sweep import sweep_all
from modules.shared.application.tenancy import tenant_scope
from tests.factories import UserFactory
from tests.integration.recurring.helpers import today
from tests.integration.web.test_ledger_pages import (
    _errors,
    balances,
    open_account,
    parse,
    signed_in_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana() -> User:
    return UserFactory()


@pytest.fixture
def browser(ana: User) -> Client:
    return signed_in_client(ana)


def new_rule(client: Client, account: UUID, **fields: Any) -> UUID:
    body = {
        "name": "Gym",
        "kind": "outflow",
        "account": str(account),
        "amount": "30,00",
        "frequency": "weekly",
        "interval": "1",
        "starts_on": (today() + timedelta(days=3)).isoformat(),
        **fields,
    }
    response = client.post("/app/recurring/new/", body)
    assert response.status_code == 302, _errors(response)
    return RecurringRule.all_tenants.latest("created_at").id


def test_a_rule_from_the_form_shows_its_upcoming_dates(browser: Client) -> None:
    account = open_account(browser, opening_balance="100.00")
    rule_id = new_rule(browser, account)
    page = parse(browser.get("/app/recurring/"))
    (row,) = page.table("Your recurring transactions")
    assert row[0].startswith("Gym")
    assert row[1].startswith("Every week on ")
    assert row[2] == "€30.00"
    upcoming = page.table("Upcoming dates")
    assert len(upcoming) in (4, 5)
    assert all(r[1] == "Gym" and r[3] == "Upcoming" for r in upcoming)

    first = (today() + timedelta(days=3)).isoformat()
    skipped = browser.post(f"/app/recurring/{rule_id}/skip/", {"date": first})
    assert skipped.status_code == 302
    assert (
        parse(browser.get("/app/recurring/")).table("Upcoming dates")[0][3] == "Skipped"
    )
    browser.post(f"/app/recurring/{rule_id}/pause/")
    page = parse(browser.get("/app/recurring/"))
    assert "Paused" in page.table("Your recurring transactions")[0][0]
    browser.post(f"/app/recurring/{rule_id}/resume/")

    edited = browser.post(
        f"/app/recurring/{rule_id}/edit/", {"name": "Gym club", "amount": "35.00"}
    )
    assert edited.status_code == 302, _errors(edited)
    assert (
        parse(browser.get("/app/recurring/")).table("Your recurring")[0][2] == "€35.00"
    )


def test_a_form_error_lands_on_its_field(browser: Client) -> None:
    account = open_account(browser)
    response = browser.post(
        "/app/recurring/new/",
        {
            "name": "Rent",
            "kind": "transfer",
            "account": str(account),
            "amount": "10.00",
            "frequency": "monthly",
            "interval": "1",
            "starts_on": today().isoformat(),
            "ends_on": (today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "to_account" in errors


def test_bills_page_marks_a_bill_paid(browser: Client, ana: User) -> None:
    account = open_account(browser, opening_balance="100.00")
    rule_id = new_rule(
        browser,
        account,
        name="Power",
        amount="40.00",
        frequency="monthly",
        starts_on=today().isoformat(),
        is_bill="on",
    )
    sweep_all()
    page = parse(browser.get("/app/bills/"))
    assert page.table("Bills still to pay")[0][1:4] == ["Power", "€40.00", "Upcoming"]
    paid = browser.post(
        f"/app/bills/{rule_id}/pay/", {"date": today().isoformat(), "back": "bills"}
    )
    assert paid.status_code == 302 and paid["Location"] == "/app/bills/"
    page = parse(browser.get("/app/bills/"))
    assert page.table("Bills paid this month")[0][3] == "Paid"
    assert balances(browser)["Everyday"] == "€60.00"
    with tenant_scope(ana.tenant_id):
        assert Occurrence.objects.get().status == "paid"


def test_the_forecast_page_has_a_chart_a_table_and_a_summary(browser: Client) -> None:
    account = open_account(browser, opening_balance="500.00")
    due = today() + timedelta(days=5)
    new_rule(
        browser,
        account,
        name="Rent",
        amount="187.60",
        frequency="monthly",
        starts_on=due.isoformat(),
    )
    response = browser.get(
        "/app/forecast/", {"days": "30", "account": str(account), "buffer": "400"}
    )
    content = response.content.decode()
    assert '<svg class="chart" role="img"' in content
    assert "<title id=" in content
    assert f"Lowest: €312.40 on {due.day} {due.strftime('%b')}." in " ".join(
        content.split()
    )
    rows = parse(response).table("Projected balance of Everyday")
    assert rows[0][1] == "€500.00"
    assert rows[1][1] == "€312.40"
    assert "1 day below your buffer" not in content  # 26 days are
    all_accounts = browser.get("/app/forecast/")
    assert "EUR: the next 90 days" in " ".join(all_accounts.content.decode().split())


def test_the_forecast_page_adds_every_currency_up_in_the_base_one(
    browser: Client,
) -> None:
    open_account(browser, opening_balance="100.00")
    open_account(browser, name="Dollars", currency="USD", opening_balance="11.00")
    without = " ".join(browser.get("/app/forecast/").content.decode().split())
    assert "No exchange rate for USD yet" in without
    assert "USD: the next 90 days" in without

    browser.post(
        "/app/exchange-rates/",
        {"base": "EUR", "quote": "USD", "rate": "1.1", "date": "2020-01-01"},
    )
    response = browser.get("/app/forecast/", {"days": "30"})
    content = " ".join(response.content.decode().split())
    assert "No exchange rate for" not in content
    assert "All accounts in EUR: the next 30 days" in content
    rows = parse(response).table("Projected balance of All accounts in EUR")
    assert rows[0][1] == "€110.00"


def test_every_control_is_labelled_and_spanish_is_complete(browser: Client) -> None:
    account = open_account(browser)
    rule_id = new_rule(browser, account)
    urls = [
        "/app/recurring/",
        "/app/recurring/new/",
        f"/app/recurring/{rule_id}/edit/",
        "/app/bills/",
        "/app/forecast/",
    ]
    for url in urls:
        page = parse(browser.get(url))
        unlabelled = [
            c
            for c in page.controls
            if c.get("type") not in ("hidden", "submit")
            and c.get("id") not in page.label_targets
        ]
        assert unlabelled == [], url
    browser.cookies["django_language"] = "es"
    spanish = browser.get("/app/recurring/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Movimientos periódicos" in spanish
    assert "Cada semana el " in spanish


def test_another_persons_rule_is_a_404(browser: Client) -> None:
    other = signed_in_client(UserFactory())
    rule_id = new_rule(other, open_account(other))
    assert browser.get(f"/app/recurring/{rule_id}/edit/").status_code == 404
    for action in ("pause", "delete", "skip"):
        response = browser.post(
            f"/app/recurring/{rule_id}/{action}/", {"date": today().isoformat()}
        )
        assert response.status_code == 404, action
    assert (
        browser.post(
            f"/app/bills/{rule_id}/pay/", {"date": today().isoformat()}
        ).status_code
        == 404
    )
    assert RecurringRule.all_tenants.get(id=rule_id).paused is False
