"""The loan pages through the Django test client: add a loan, read its schedule and
chart, pay, pay extra, change the rate, errors on their fields, Spanish, and another
person's loan as a 404."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.test import Client

from modules.identity.infrastructure.models import User
from modules.loans.infrastructure.models import Loan
from tests.conftest import CommittingClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in_client(user: User) -> Client:
    client = CommittingClient()
    client.force_login(user)
    return client


@pytest.fixture
def browser() -> Client:
    return signed_in_client(UserFactory())


def open_account(client: Client) -> str:
    response = client.post(
        "/app/accounts/new/",
        {
            "name": "Everyday",
            "kind": "checking",
            "currency": "EUR",
            "opening_balance": "5000",
        },
    )
    assert response.status_code == 302, response.content
    return response["Location"].rstrip("/").split("/")[-1]


def add_loan(client: Client, bank: str, **fields: Any) -> UUID:
    body = {
        "name": "Car loan",
        "currency": "EUR",
        "principal": "10000,00",
        "annual_rate": "5",
        "term_months": "12",
        "first_payment_on": "2026-01-31",
        "method": "annuity",
        "paid_from": bank,
        **fields,
    }
    response = client.post("/app/loans/new/", body)
    assert response.status_code == 302, response.content
    return Loan.all_tenants.get(name=body["name"]).id


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_loan_page_shows_its_schedule_chart_and_takes_payments(
    browser: Client,
) -> None:
    bank = open_account(browser)
    loan_id = add_loan(browser, bank)
    page = browser.get(f"/app/loans/{loan_id}/")
    body = text_of(page)

    assert page.status_code == 200
    assert "Every payment with its principal, interest and the balance after it" in body
    assert body.count('<th scope="row">') >= 12
    assert "€10,000.00 owed" in body
    assert "€856.07" in body
    assert '<svg width="100%"' in body and '<title id="chart-svg-title">' in body
    assert 'stroke-dasharray="6 4"' in body
    assert "What you owe at the end of each year" in body

    paid = browser.post(
        f"/app/loans/{loan_id}/payments/",
        {
            "payment-date": "2026-01-31",
            "payment-extra": "",
            "payment-extra_effect": "shorter_term",
        },
    )
    assert paid.status_code == 302
    after = text_of(browser.get(f"/app/loans/{loan_id}/"))
    assert "€9,185.60 owed" in after
    assert "1 of 12 paid" in after

    extra = browser.post(
        f"/app/loans/{loan_id}/extra-payments/",
        {
            "extra-date": "2026-02-05",
            "extra-amount": "1000",
            "extra-effect": "lower_payment",
        },
    )
    assert extra.status_code == 302
    assert "€8,185.60 owed" in text_of(browser.get(f"/app/loans/{loan_id}/"))

    rate = browser.post(
        f"/app/loans/{loan_id}/rate-changes/",
        {"rate-date": "2026-06-01", "rate-annual_rate": "6,5"},
    )
    assert rate.status_code == 302
    listing = text_of(browser.get("/app/loans/"))
    assert "Car loan" in listing and "€8,185.60 owed" in listing


def test_refusals_land_on_their_fields(browser: Client) -> None:
    bank = open_account(browser)
    loan_id = add_loan(browser, bank)
    refused = browser.post(
        f"/app/loans/{loan_id}/extra-payments/",
        {
            "extra-date": "2026-02-05",
            "extra-amount": "20000",
            "extra-effect": "lower_payment",
        },
    )
    assert refused.status_code == 400
    assert "The extra payment is more than what is owed." in text_of(refused)

    bad = browser.post(
        "/app/loans/new/",
        {
            "name": "Bad",
            "currency": "EUR",
            "principal": "100",
            "annual_rate": "200",
            "term_months": "12",
            "first_payment_on": "2026-01-31",
            "method": "annuity",
            "paid_from": bank,
        },
    )
    assert bad.status_code == 200
    assert "The annual rate is a percentage from 0 to 100." in text_of(bad)
    assert not Loan.all_tenants.filter(name="Bad").exists()


def test_the_pages_speak_spanish(browser: Client) -> None:
    bank = open_account(browser)
    loan_id = add_loan(browser, bank)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    body = text_of(browser.get(f"/app/loans/{loan_id}/"))
    assert "Calendario de amortización" in body
    assert "10.000,00 € adeudados" in body
    assert "Francés (la misma cuota cada mes)" in text_of(
        browser.get("/app/loans/new/")
    )


def test_another_persons_loan_is_not_found(browser: Client) -> None:
    bank = open_account(browser)
    loan_id = add_loan(browser, bank)
    other = signed_in_client(UserFactory())
    assert other.get(f"/app/loans/{loan_id}/").status_code == 404
    assert (
        other.post(
            f"/app/loans/{loan_id}/payments/", {"payment-date": "2026-01-31"}
        ).status_code
        == 404
    )
    assert "Car loan" not in text_of(other.get("/app/loans/"))


def test_a_paid_off_loan_says_so(browser: Client) -> None:
    bank = open_account(browser)
    loan_id = add_loan(browser, bank, principal="1000", term_months="3")
    paid = browser.post(
        f"/app/loans/{loan_id}/extra-payments/",
        {
            "extra-date": "2026-01-10",
            "extra-amount": "1000",
            "extra-effect": "shorter_term",
        },
    )
    assert paid.status_code == 302
    page = browser.get(f"/app/loans/{loan_id}/")
    assert page.status_code == 200
    assert "This loan is paid off." in text_of(page)


def test_a_payment_reads_well_on_the_account_and_transaction_pages(
    browser: Client,
) -> None:
    bank = open_account(browser)
    loan_id = add_loan(browser, bank)
    browser.post(
        f"/app/loans/{loan_id}/payments/",
        {"payment-date": "2026-01-31", "payment-extra_effect": "shorter_term"},
    )
    statement = text_of(browser.get(f"/app/accounts/{bank}/"))
    assert "To Car loan" in statement and "856.07" in statement
    listing = browser.get("/app/transactions/")
    assert listing.status_code == 200 and "856.07" in text_of(listing)
