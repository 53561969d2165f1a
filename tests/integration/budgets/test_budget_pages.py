"""The budget pages through the Django test client: set a budget with the form,
see the bar with its figures in words, edit and archive it, its history, the
dashboard card, Spanish, and another person's budget is a 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from modules.budgets.infrastructure.models import Budget
from modules.shared.application.tenancy import tenant_scope
from modules.transactions.infrastructure.models import Category
from tests.conftest import CommittingClient
from tests.factories import PASSWORD, UserFactory
from tests.integration.budgets.test_budgets_api import spend
from tests.integration.ledger.test_ledger_api import category_named, create_account

pytestmark = pytest.mark.django_db
TAGS = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")


def browser(user: Any) -> Client:
    client = CommittingClient()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return SPACES.sub(" ", TAGS.sub(" ", response.content.decode()))


def groceries_of(user: Any) -> Category:
    with tenant_scope(user.tenant_id):
        return Category.objects.get(name="Groceries")


def test_set_a_budget_and_see_its_bar(signed_in: Any) -> None:
    user = UserFactory()
    web, api = browser(user), signed_in(user)
    form = text(web.get("/app/budgets/new/"))
    assert "Food (the whole group)" in form
    response = web.post(
        "/app/budgets/new/",
        {
            "category": str(groceries_of(user).id),
            "period": "month",
            "amount": "200,00",
            "currency": "EUR",
        },
    )
    assert response.status_code == 302
    account = create_account(api, opening_balance="500.00")
    spend(api, account, "150.00", category_named(api, "Groceries"))
    spend(api, account, "40.00", category_named(api, "Groceries"))

    page = web.get("/app/budgets/").content.decode()
    assert "data-live-refresh" in page
    assert re.search(r'<progress [^>]*max="100" value="95.0"', page)
    shown = text(web.get("/app/budgets/"))
    assert "€190.00 of €200.00, 95%" in shown
    assert "Remaining: €10.00" in shown
    assert "Nearly used" in shown
    assert "€190.00 of €200.00, 95%" in text(web.get("/app/"))


def test_edit_archive_and_history(signed_in: Any) -> None:
    user = UserFactory()
    web = browser(user)
    with tenant_scope(user.tenant_id):
        budget = Budget.objects.create(
            tenant_id=user.tenant_id,
            name="Groceries",
            category=groceries_of(user),
            period="month",
            currency="EUR",
            limit_minor=10000,
            starts_on=timezone.now().date().replace(day=1, year=2020),
        )
    detail = text(web.get(f"/app/budgets/{budget.id}/"))
    assert "Past periods" in detail and "€100.00" in detail
    response = web.post(
        f"/app/budgets/{budget.id}/edit/",
        {"name": "Food shop", "amount": "120.00", "rollover": "on", "archived": "on"},
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert (budget.name, budget.limit_minor, budget.rollover) == (
        "Food shop",
        12000,
        True,
    )
    assert budget.archived_at is not None
    listing = text(web.get("/app/budgets/"))
    assert "Archived budgets" in listing and "Food shop" in listing


def test_a_bad_amount_is_shown_on_its_field() -> None:
    user = UserFactory()
    web = browser(user)
    response = web.post(
        "/app/budgets/new/",
        {
            "category": str(groceries_of(user).id),
            "period": "month",
            "amount": "0",
            "currency": "EUR",
        },
    )
    assert response.status_code == 200
    assert "The limit must be more than zero." in response.content.decode()


def test_another_persons_budget_is_a_404() -> None:
    owner = UserFactory()
    with tenant_scope(owner.tenant_id):
        budget = Budget.objects.create(
            tenant_id=owner.tenant_id,
            name="Mine",
            category=groceries_of(owner),
            period="week",
            currency="EUR",
            limit_minor=100,
            starts_on=timezone.now().date(),
        )
    other = browser(UserFactory())
    assert other.get(f"/app/budgets/{budget.id}/").status_code == 404
    assert other.get(f"/app/budgets/{budget.id}/edit/").status_code == 404
    assert "Mine" not in text(other.get("/app/budgets/"))


def test_the_pages_in_spanish() -> None:
    user = UserFactory()
    web = browser(user)
    web.cookies["django_language"] = "es"
    shown = text(web.get("/app/budgets/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Presupuestos" in shown
    assert "Fijar un presupuesto" in shown


def test_spending_without_an_exchange_rate_is_said_on_the_page(
    signed_in: Any,
) -> None:
    user = UserFactory()
    web, api = browser(user), signed_in(user)
    groceries = category_named(api, "Groceries")
    created = api.post(
        "/api/v1/budgets",
        {"period": "month", "category": groceries, "amount": "200.00"},
        format="json",
    )
    dollars = create_account(api, currency="USD", opening_balance="100.00")
    spend(api, dollars, "12.50", groceries)

    page = text(web.get(f"/app/budgets/{created.json()['id']}/"))

    assert "Not counted, for want of an exchange rate: $12.50." in page
    assert "€0.00 of €200.00, 0%" in page
    listed = web.get("/app/budgets/").content.decode()
    assert 'href="/app/exchange-rates/"' in listed
