"""In-app notifications: made once per event, listed and marked read through the API
and the web, emailed only for the kinds a person chose, in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from modules.identity.infrastructure.models import Profile
from modules.live.api import OutboxEvent
from modules.notifications.infrastructure.consumers import notify
from modules.notifications.infrastructure.models import Notification
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_user() -> Any:
    return UserFactory()


@pytest.fixture
def ana(signed_in: Any, ana_user: Any) -> APIClient:
    return signed_in(ana_user)


def open_account(client: APIClient, kind: str = "checking") -> dict[str, Any]:
    response = client.post(
        "/api/v1/accounts",
        {
            "name": "Everyday",
            "kind": kind,
            "currency": "EUR",
            "opening_balance": "10.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def spend(client: APIClient, account: dict[str, Any], amount: str) -> None:
    response = client.post(
        "/api/v1/transactions",
        {
            "type": "outflow",
            "account": account["id"],
            "amount": amount,
            "date": "2026-11-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.content


def test_overdrawing_an_account_notifies_once(ana: APIClient) -> None:
    account = open_account(ana)
    spend(ana, account, "4.00")  # still above zero: nothing
    assert ana.get("/api/v1/notifications").json()["results"] == []

    spend(ana, account, "16.50")  # crosses below zero
    spend(ana, account, "1.00")  # stays below: no second notice
    response = ana.get("/api/v1/notifications")
    assert response["X-Unread-Count"] == "1"
    [notification] = response.json()["results"]
    assert notification["kind"] == "account_overdrawn"
    assert notification["title"] == "Everyday is overdrawn"
    assert notification["body"] == "The balance of Everyday is now -€10.50."
    assert notification["read"] is False

    created = OutboxEvent.all_tenants.get(type="notification.created")
    assert created.data["notification_id"] == notification["id"]
    assert created.data["unread_count"] == 1
    assert created.data["title"] == "Everyday is overdrawn"


def test_a_redelivered_event_makes_no_second_notification(ana: APIClient) -> None:
    account = open_account(ana)
    spend(ana, account, "20.00")
    source = Notification.all_tenants.get().source_event_id
    event = OutboxEvent.all_tenants.get(id=source)
    notify(event)
    notify(event)
    assert Notification.all_tenants.count() == 1
    assert len(mail.outbox) == 1


def test_liabilities_do_not_count_as_overdrawn(ana: APIClient) -> None:
    card = open_account(ana, kind="credit_card")
    spend(ana, card, "500.00")
    assert Notification.all_tenants.count() == 0


def test_the_email_goes_in_the_persons_language(ana: APIClient, ana_user: Any) -> None:
    ana.patch("/api/v1/me", {"locale": "es"}, format="json")
    account = open_account(ana)
    spend(ana, account, "20.00")
    [message] = mail.outbox
    assert message.to == [ana_user.email]
    assert message.subject == "Everyday está en descubierto"
    assert "-10,00" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Everyday está en descubierto" in html
    assert Notification.all_tenants.get().emailed_at is not None


@pytest.mark.parametrize(
    "preferences",
    [{"email_notifications": []}, {"notify_by_email": False}],
    ids=["kind-not-chosen", "emails-off"],
)
def test_no_email_unless_the_person_chose_that_kind(
    ana: APIClient, preferences: dict[str, Any]
) -> None:
    assert ana.patch("/api/v1/me", preferences, format="json").status_code == 200
    account = open_account(ana)
    spend(ana, account, "20.00")
    assert Notification.all_tenants.count() == 1
    assert mail.outbox == []


def test_email_choices_through_me(ana: APIClient, ana_user: Any) -> None:
    me = ana.get("/api/v1/me").json()
    assert me["email_notifications"] == ["account_overdrawn"]
    response = ana.patch(
        "/api/v1/me", {"email_notifications": ["bogus"]}, format="json"
    )
    error = assert_error_shape(response, status=400)
    assert error["details"][0]["field"].startswith("email_notifications")
    ok = ana.patch("/api/v1/me", {"email_notifications": []}, format="json")
    assert ok.json()["email_notifications"] == []
    assert Profile.all_tenants.get(user=ana_user).email_notifications == []


def test_mark_read_and_unread_through_the_api(ana: APIClient, signed_in: Any) -> None:
    account = open_account(ana)
    spend(ana, account, "20.00")
    notification_id = ana.get("/api/v1/notifications").json()["results"][0]["id"]

    response = ana.patch(
        f"/api/v1/notifications/{notification_id}", {"read": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["read"] is True and response["X-Unread-Count"] == "0"
    read_event = OutboxEvent.all_tenants.filter(type="notifications.read").get()
    assert read_event.data == {"unread_count": 0}
    assert ana.get("/api/v1/notifications?unread=true").json()["results"] == []
    again = ana.patch(
        f"/api/v1/notifications/{notification_id}", {"read": False}, format="json"
    )
    assert again.json()["read"] is False

    ben = signed_in(UserFactory())
    assert_error_shape(
        ben.patch(
            f"/api/v1/notifications/{notification_id}", {"read": True}, format="json"
        ),
        status=404,
    )
    assert ben.get("/api/v1/notifications").json()["results"] == []
    assert_error_shape(
        ana.patch(
            f"/api/v1/notifications/{notification_id}", {"read": "x"}, format="json"
        ),
        status=400,
    )


def test_the_bell_and_the_notifications_page(ana: APIClient, ana_user: Any) -> None:
    account = open_account(ana)
    spend(ana, account, "20.00")
    web = Client()
    web.post("/login/", {"email": ana_user.email, "password": PASSWORD})
    page = web.get("/app/notifications/").content.decode()
    assert 'id="bell-count" data-count="1"' in page
    assert "Everyday is overdrawn" in page

    notification = Notification.all_tenants.get()
    response = web.post(f"/app/notifications/{notification.id}/read/")
    assert response.status_code == 302
    page = web.get("/app/notifications/").content.decode()
    assert 'data-count="0"' in page
    notification.refresh_from_db()
    assert notification.read_at is not None

    Notification.all_tenants.update(read_at=None)
    web.post("/app/notifications/read/")
    assert Notification.all_tenants.filter(read_at__isnull=True).count() == 0


def test_another_persons_notification_is_a_404_on_the_web(ana: APIClient) -> None:
    account = open_account(ana)
    spend(ana, account, "20.00")
    notification = Notification.all_tenants.get()
    ben = UserFactory()
    web = Client()
    web.post("/login/", {"email": ben.email, "password": PASSWORD})
    assert web.post(f"/app/notifications/{notification.id}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_settings_page_offers_the_email_kinds(ana_user: Any) -> None:
    web = Client()
    web.post("/login/", {"email": ana_user.email, "password": PASSWORD})
    page = web.get("/app/settings/").content.decode()
    assert 'name="email_notifications" value="account_overdrawn"' in page
    assert "balance drops below zero" in page
