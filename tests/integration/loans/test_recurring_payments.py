"""Recurring loan payments: turned on through the API or the loan page, recorded by
the recurring sweep as the loan's split payment, once per date, catching up after
downtime, down to a balance of exactly 0.00."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from modules.loans.infrastructure.models import LoanPayment
from modules.recurring.infrastructure.sweep import sweep_all
from modules.shared.application.tenancy import tenant_scope
from modules.transactions.infrastructure.models import Entry
from tests.conftest import CommittingClient
from tests.factories import UserFactory
from tests.integration.loans.test_loans_api import balance, create_account, take_out

pytestmark = pytest.mark.django_db

SignIn = Callable[[Any], APIClient]


def at(moment: str) -> Any:
    return time_machine.travel(datetime.fromisoformat(moment), tick=False)


def paid_dates(tenant_id: Any) -> list[date]:
    with tenant_scope(tenant_id):
        return list(
            LoanPayment.objects.order_by("number").values_list("paid_on", flat=True)
        )


def test_the_sweep_records_each_payment_once_and_catches_up(
    signed_in: SignIn,
) -> None:
    person = UserFactory()
    with at("2026-02-10T12:00:00+00:00"):
        client = signed_in(person)
        bank = create_account(client, opening_balance="20000.00")
        loan = take_out(client, paid_from=bank["id"])
        assert loan["recurring_payments"] is False

        turned_on = client.patch(
            f"/api/v1/loans/{loan['id']}", {"recurring_payments": True}, format="json"
        )
        assert turned_on.status_code == 200, turned_on.content
        body = turned_on.json()
        # The January payment was due already: recorded at once, on its date.
        assert body["recurring_payments"] is True
        assert body["payments_made"] == 1
        assert body["balance"]["amount"] == "9185.60"
        assert sweep_all().by_others == 0

    with at("2026-06-15T12:00:00+00:00"):  # four months without a sweep
        assert sweep_all().by_others == 4
        assert sweep_all().by_others == 0
    assert paid_dates(person.tenant_id) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]

    with at("2027-03-01T12:00:00+00:00"):
        assert sweep_all().by_others == 7
        client = signed_in(person)
        after = client.get(f"/api/v1/loans/{loan['id']}").json()
        assert after["balance"] == {"amount": "0.00", "currency": "EUR"}
        assert after["payments_left"] == 0 and after["next_payment"] is None
        assert balance(client, loan["account"]) == "0.00"
        # 12 payments of 856.07 and a last one absorbing the residual
        assert balance(client, bank["id"]) == str(
            20000 - sum(_payments(person.tenant_id))
        )
    with tenant_scope(person.tenant_id):
        assert Entry.objects.filter(description="Car loan").count() == 12


def _payments(tenant_id: Any) -> list[Decimal]:
    with tenant_scope(tenant_id):
        rows = LoanPayment.objects.values_list("principal_minor", "interest_minor")
        return [Decimal(p + i) / 100 for p, i in rows]


def test_recurring_payments_need_a_paying_account_and_stay_private(
    signed_in: SignIn,
) -> None:
    ana, bea = signed_in(UserFactory()), signed_in(UserFactory())
    loan = take_out(ana, first_payment_on="2030-01-31")

    refused = ana.patch(
        f"/api/v1/loans/{loan['id']}", {"recurring_payments": True}, format="json"
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["error"]["details"][0]["field"] == "paid_from"
    other = bea.patch(
        f"/api/v1/loans/{loan['id']}", {"recurring_payments": True}, format="json"
    )
    assert other.status_code == 404
    assert ana.get(f"/api/v1/loans/{loan['id']}").json()["recurring_payments"] is False


def test_the_loan_page_makes_payments_recurring() -> None:
    person = UserFactory()
    browser: Client = CommittingClient()
    browser.force_login(person)
    with at("2026-03-05T12:00:00+00:00"):
        client_bank = browser.post(
            "/app/accounts/new/",
            {
                "name": "Everyday",
                "kind": "checking",
                "currency": "EUR",
                "opening_balance": "5000",
            },
        )
        bank = client_bank["Location"].rstrip("/").split("/")[-1]
        created = browser.post(
            "/app/loans/new/",
            {
                "name": "Car loan",
                "currency": "EUR",
                "principal": "10000,00",
                "annual_rate": "5",
                "term_months": "12",
                "first_payment_on": "2026-01-31",
                "method": "annuity",
                "paid_from": bank,
            },
        )
        page_url = created["Location"]
        before = browser.get(page_url).content.decode()
        assert "Make payments recurring" in before
        assert 'name="recurring-recurring_payments"' in before

        saved = browser.post(
            f"{page_url}recurring-payments/", {"recurring-recurring_payments": "on"}
        )
        assert saved.status_code == 302
        after = browser.get(page_url).content.decode()
        assert "Each payment is recorded on its date from the paying account." in after
        assert "2 of 12 paid" in after
        assert re.search(
            r'<input[^>]*name="recurring-recurring_payments"[^>]*checked', after
        )

        browser.post(f"{page_url}recurring-payments/", {})
        off = browser.get(page_url).content.decode()
        assert "Payments are recorded only when you record them." in off
    assert paid_dates(person.tenant_id) == [date(2026, 1, 31), date(2026, 2, 28)]
