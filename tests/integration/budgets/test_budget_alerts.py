"""Threshold alerts: `budget.threshold_crossed` once per threshold and period through
the outbox, turned into an in-app notification (and an email when chosen); a
reversal that brings spending back under does not re-alert, nor a redelivery."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from modules.budgets.infrastructure.consumers import on_event
from modules.budgets.infrastructure.models import BudgetAlert
from modules.identity.infrastructure.models import Profile
from modules.live.api import OutboxEvent
from modules.live.infrastructure.relay import delivered
from modules.notifications.infrastructure.models import Notification
from modules.shared.application.tenancy import tenant_scope
from tests.factories import UserFactory
from tests.integration.budgets.test_budgets_api import create_budget, spend
from tests.integration.ledger.test_ledger_api import category_named, create_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_user() -> Any:
    return UserFactory()


@pytest.fixture
def ana(signed_in: Any, ana_user: Any) -> APIClient:
    return signed_in(ana_user)


def crossed() -> list[dict[str, Any]]:
    return [
        e.data
        for e in OutboxEvent.all_tenants.filter(
            type="budget.threshold_crossed"
        ).order_by("sequence")
    ]


def test_80_and_100_percent_alert_once_each(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    budget = create_budget(ana, category=groceries, amount="200.00")

    spend(ana, account, "150.00", groceries)  # 75%
    assert crossed() == []
    spend(ana, account, "40.00", groceries)  # 95%
    [eighty] = crossed()
    assert eighty["budget_id"] == budget["id"]
    assert eighty["threshold"] == 80
    assert (eighty["spent"], eighty["limit"], eighty["remaining"]) == (
        "190.00",
        "200.00",
        "10.00",
    )
    assert eighty["percent_used"] == "95.0"

    spend(ana, account, "5.00", groceries)  # still between: nothing new
    assert len(crossed()) == 1
    last = spend(ana, account, "20.00", groceries)  # 107.5%
    assert [e["threshold"] for e in crossed()] == [80, 100]

    response = ana.post(
        f"/api/v1/transactions/{last['id']}/reversals", {}, format="json"
    )
    assert response.status_code == 201  # back to 97.5%
    spend(ana, account, "10.00", groceries)  # over 100% again: not news
    assert [e["threshold"] for e in crossed()] == [80, 100]
    assert BudgetAlert.all_tenants.count() == 2


def test_the_alert_becomes_a_notification_and_is_pushed(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    create_budget(ana, category=groceries, amount="200.00")
    spend(ana, account, "190.00", groceries)

    [notification] = ana.get("/api/v1/notifications").json()["results"]
    assert notification["kind"] == "budget_threshold"
    assert notification["title"] == "Groceries has reached 80% of its limit"
    assert notification["body"] == "You have spent €190.00 of €200.00 this period."
    event = OutboxEvent.all_tenants.get(type="budget.threshold_crossed")
    assert event.status == "published"  # handed to the websocket group
    feed = ana.get("/api/v1/events").json()["results"]
    assert "budget.threshold_crossed" in [e["type"] for e in feed]
    assert mail.outbox == []  # not one of the kinds Ana chose to get by email


def test_email_when_the_person_chose_budget_alerts(
    ana: APIClient, ana_user: Any
) -> None:
    Profile.all_tenants.filter(user=ana_user).update(
        email_notifications=["account_overdrawn", "budget_threshold"]
    )
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    create_budget(ana, category=groceries, amount="100.00")
    spend(ana, account, "100.00", groceries)
    assert Notification.all_tenants.filter(kind="budget_threshold").count() == 2
    assert len(mail.outbox) == 2
    assert "Groceries" in mail.outbox[-1].subject


def test_a_redelivered_transaction_event_alerts_no_twice(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="1000.00")
    groceries = category_named(ana, "Groceries")
    create_budget(ana, category=groceries, amount="100.00")
    spend(ana, account, "90.00", groceries)
    row = OutboxEvent.all_tenants.filter(type="transaction.created").latest("sequence")
    with tenant_scope(row.tenant_id):
        on_event(delivered(row))
        on_event(delivered(row))
    assert len(crossed()) == 1
    assert Notification.all_tenants.filter(kind="budget_threshold").count() == 1


def test_spending_elsewhere_or_by_someone_else_does_not_alert(
    ana: APIClient, signed_in: Any
) -> None:
    account = create_account(ana, opening_balance="1000.00")
    create_budget(ana, category=category_named(ana, "Groceries"), amount="10.00")
    spend(ana, account, "50.00", category_named(ana, "Fuel"))
    bea = signed_in(UserFactory())
    spend(
        bea,
        create_account(bea, opening_balance="99.00"),
        "50.00",
        category_named(bea, "Groceries"),
    )
    assert crossed() == []
