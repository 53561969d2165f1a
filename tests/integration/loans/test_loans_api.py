"""Loans through the API: the check case end to end, payments as one ledger entry,
re-plans, payoff figures, errors in the one shape, and tenant isolation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from modules.identity.infrastructure.models import User
from modules.transactions.infrastructure.models import Category, Entry, Posting
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import assert_error_shape, passed_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def create_account(client: APIClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "Everyday", "kind": "checking", "currency": "EUR", **fields}
    response = client.post("/api/v1/accounts", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def take_out(client: APIClient, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Car loan",
        "currency": "EUR",
        "principal": "10000.00",
        "annual_rate": "5",
        "term_months": 12,
        "first_payment_on": "2026-01-31",
        "method": "annuity",
        **fields,
    }
    response = client.post("/api/v1/loans", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def balance(client: APIClient, account_id: str) -> str:
    response = client.get(f"/api/v1/accounts/{account_id}")
    return response.json()["balance"]["amount"]


def test_the_check_case_from_schedule_to_the_first_payment(ana: APIClient) -> None:
    bank = create_account(ana, opening_balance="5000.00")
    loan = take_out(ana, paid_from=bank["id"])

    assert loan["payment"] == {"amount": "856.07", "currency": "EUR"}
    assert loan["payoff_date"] == "2026-12-31"
    assert loan["balance"]["amount"] == "10000.00"
    assert loan["payments_left"] == 12 and loan["payments_made"] == 0
    account = ana.get(f"/api/v1/accounts/{loan['account']}").json()
    assert (account["kind"], account["class"]) == ("loan", "liability")

    rows = ana.get(f"/api/v1/loans/{loan['id']}/schedule").json()
    assert len(rows) == 12
    assert sum(Decimal(r["principal"]["amount"]) for r in rows) == Decimal("10000.00")
    assert rows[-1]["balance_after"]["amount"] == "0.00"
    total_interest = sum(Decimal(r["interest"]["amount"]) for r in rows)
    assert str(total_interest) == loan["total_interest"]["amount"]
    first = rows[0]
    assert (first["number"], first["date"], first["paid"]) == (1, "2026-01-31", False)

    paid = ana.post(
        f"/api/v1/loans/{loan['id']}/payments",
        {"date": "2026-01-31", "amount": "856.07"},
        format="json",
    )

    assert paid.status_code == 201, paid.content
    body = paid.json()
    assert body["principal"] == first["principal"]
    assert (
        body["interest"] == first["interest"] == {"amount": "41.67", "currency": "EUR"}
    )
    assert balance(ana, loan["account"]) == str(
        Decimal("10000.00") - Decimal(first["principal"]["amount"])
    )
    assert balance(ana, bank["id"]) == "4143.93"
    entry = Entry.all_tenants.get(id=body["transaction"])
    postings = list(Posting.all_tenants.filter(entry=entry))
    assert len(postings) == 3 and sum(p.amount_minor for p in postings) == 0
    (interest,) = [p for p in postings if p.counterpart == "expense"]
    assert interest.amount_minor == 4167
    category = Category.all_tenants.get(id=interest.category_id)
    assert (category.name, category.kind) == ("Interest", "expense")
    assert str(category.id) == loan["interest_category"]
    after = ana.get(f"/api/v1/loans/{loan['id']}").json()
    assert after["payments_made"] == 1
    assert after["next_payment"]["number"] == 2
    assert after["balance"]["amount"] == "9185.60"

    listed = ana.get("/api/v1/transactions", {"category": str(category.id)}).json()
    assert [t["id"] for t in listed["results"]] == [body["transaction"]]


def test_a_second_loan_reuses_the_interest_category(ana: APIClient) -> None:
    first = take_out(ana)
    second = take_out(ana, name="Sofa", method="linear")
    assert first["interest_category"] == second["interest_category"]
    assert Category.all_tenants.filter(name="Interest").count() == 1


def test_an_extra_payment_re_plans_and_payoff_says_what_it_saved(
    ana: APIClient,
) -> None:
    bank = create_account(ana)
    loan = take_out(ana, paid_from=bank["id"])
    url = f"/api/v1/loans/{loan['id']}"
    preview = ana.get(f"{url}/payoff", {"extra": "2000.00", "date": "2026-01-31"})
    assert preview.status_code == 200, preview.content
    saved = preview.json()["preview"]["interest_saved"]
    assert Decimal(saved["amount"]) > 0

    paid = ana.post(
        f"{url}/payments",
        {"date": "2026-01-31", "extra": "2000.00", "extra_effect": "shorter_term"},
        format="json",
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["extra"]["amount"] == "2000.00"
    payoff = ana.get(f"{url}/payoff").json()
    assert payoff["interest_saved"] == saved
    assert payoff["payoff_date"] < loan["payoff_date"]
    assert payoff["balance"]["amount"] == balance(ana, loan["account"]) == "7185.60"
    assert payoff["preview"] is None

    lower = ana.post(
        f"{url}/extra-payments",
        {"date": "2026-02-10", "amount": "500.00", "effect": "lower_payment"},
        format="json",
    )
    assert lower.status_code == 201, lower.content
    assert lower.json()["balance"]["amount"] == "6685.60"
    rows = ana.get(f"{url}/schedule").json()
    paid_off = sum(
        Decimal(r["principal"]["amount"]) + Decimal(r["extra"]["amount"]) for r in rows
    )
    assert paid_off == Decimal("10000.00")
    assert rows[0]["paid"] is True and rows[1]["paid"] is False


def test_a_rate_change_re_plans_the_payment(ana: APIClient) -> None:
    loan = take_out(ana)
    changed = ana.post(
        f"/api/v1/loans/{loan['id']}/rate-changes",
        {"date": "2026-06-01", "annual_rate": "7.25"},
        format="json",
    )
    assert changed.status_code == 201, changed.content
    rows = ana.get(f"/api/v1/loans/{loan['id']}/schedule").json()
    assert rows[4]["payment"]["amount"] == "856.07"
    assert Decimal(rows[5]["payment"]["amount"]) > Decimal("856.07")
    assert rows[-1]["balance_after"]["amount"] == "0.00"


def test_refusals_come_in_the_one_error_shape(ana: APIClient) -> None:
    refused = ana.post(
        "/api/v1/loans",
        {
            "name": "X",
            "currency": "EUR",
            "principal": "10000.00",
            "annual_rate": "abc",
            "term_months": 12,
            "first_payment_on": "2026-01-31",
            "method": "annuity",
        },
        format="json",
    )
    error = assert_error_shape(refused, status=400, code="VALIDATION_ERROR")
    assert error["details"][0]["field"] == "annual_rate"

    loan = take_out(ana)
    unpaid = ana.post(
        f"/api/v1/loans/{loan['id']}/payments", {"date": "2026-01-31"}, format="json"
    )
    error = assert_error_shape(unpaid, status=400, code="VALIDATION_ERROR")
    assert error["details"][0]["field"] == "paid_from"


def test_another_persons_loan_answers_404(ana: APIClient, signed_in: Any) -> None:
    bank = create_account(ana)
    loan = take_out(ana, paid_from=bank["id"])
    bea = signed_in(UserFactory())
    url = f"/api/v1/loans/{loan['id']}"

    for response in (
        bea.get(url),
        bea.get(f"{url}/schedule"),
        bea.get(f"{url}/payoff"),
        bea.patch(url, {"name": "Mine"}, format="json"),
        bea.delete(url),
        bea.post(f"{url}/payments", {"date": "2026-01-31"}, format="json"),
        bea.post(
            f"{url}/extra-payments",
            {"date": "2026-01-31", "amount": "1.00", "effect": "shorter_term"},
            format="json",
        ),
        bea.post(
            f"{url}/rate-changes",
            {"date": "2026-03-01", "annual_rate": "1"},
            format="json",
        ),
    ):
        assert_error_shape(response, status=404, code="NOT_FOUND")
    assert bea.get("/api/v1/loans").json()["results"] == []
    refused = bea.post(
        "/api/v1/loans",
        {
            "name": "X",
            "currency": "EUR",
            "principal": "1.00",
            "annual_rate": "1",
            "term_months": 1,
            "first_payment_on": "2026-01-31",
            "method": "annuity",
            "paid_from": bank["id"],
        },
        format="json",
    )
    assert_error_shape(refused, status=400)


def test_archiving_a_loan_archives_its_account(ana: APIClient) -> None:
    loan = take_out(ana)
    assert ana.delete(f"/api/v1/loans/{loan['id']}").status_code == 204
    assert ana.get("/api/v1/loans").json()["results"] == []
    assert ana.get(f"/api/v1/loans/{loan['id']}").json()["archived"] is True
    assert ana.get(f"/api/v1/accounts/{loan['account']}").json()["archived"] is True


def test_a_retried_payment_is_recorded_once(ana: APIClient) -> None:
    bank = create_account(ana)
    loan = take_out(ana, paid_from=bank["id"])
    url = f"/api/v1/loans/{loan['id']}/payments"
    headers = {"HTTP_IDEMPOTENCY_KEY": "pay-1"}
    first = ana.post(url, {"date": "2026-01-31"}, format="json", **headers)
    again = ana.post(url, {"date": "2026-01-31"}, format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert ana.get(f"/api/v1/loans/{loan['id']}").json()["payments_made"] == 1


def test_the_admin_lists_loans_and_adds_none(ana: APIClient, client: Any) -> None:
    bank = create_account(ana)
    loan = take_out(ana, paid_from=bank["id"])
    ana.post(
        f"/api/v1/loans/{loan['id']}/payments", {"date": "2026-01-31"}, format="json"
    )
    root = User.objects.create_superuser("root@example.com", PASSWORD)
    assert client.login(email=root.email, password=PASSWORD)
    passed_second_factor(client)

    assert client.get("/admin/loans/loan/").status_code == 200
    page = client.get(f"/admin/loans/loan/{loan['id']}/change/")
    assert page.status_code == 200 and b"Car loan" in page.content
    assert client.get("/admin/loans/loan/add/").status_code == 403


def test_a_loan_paid_off_before_its_first_payment(ana: APIClient) -> None:
    bank = create_account(ana, opening_balance="20000.00")
    loan = take_out(ana, paid_from=bank["id"])
    url = f"/api/v1/loans/{loan['id']}"
    settled = ana.post(
        f"{url}/extra-payments",
        {"date": "2026-01-10", "amount": "10000.00", "effect": "shorter_term"},
        format="json",
    )
    assert settled.status_code == 201, settled.content
    body = settled.json()
    assert body["balance"]["amount"] == "0.00"
    assert (body["payoff_date"], body["next_payment"]) == ("2026-01-10", None)
    assert ana.get(f"{url}/schedule").json() == []
    assert ana.get(f"{url}/payoff").json()["payments_left"] == 0
    refused = ana.post(f"{url}/payments", {"date": "2026-01-31"}, format="json")
    assert_error_shape(refused, status=400, code="LOAN_PAID_OFF")


def test_a_loan_is_renamed_and_paid_from_another_account(ana: APIClient) -> None:
    loan = take_out(ana)
    dollars = create_account(ana, name="Dollars", currency="USD")
    euros = create_account(ana, name="Euros")
    url = f"/api/v1/loans/{loan['id']}"

    refused = ana.patch(url, {"paid_from": dollars["id"]}, format="json")
    error = assert_error_shape(refused, status=400, code="VALIDATION_ERROR")
    assert error["details"][0]["code"] == "currency_mismatch"

    changed = ana.patch(url, {"name": "Van", "paid_from": euros["id"]}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["paid_from"]) == ("Van", euros["id"])
