"""Closing an account (issue 13 item 7): refused at once at every door, a mailed
link that reopens it within the grace period, and nothing else changes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from modules.identity.application.ports import AuditAction
from modules.identity.infrastructure.models import AuditEvent, Tenant, User
from modules.privacy.infrastructure.models import AccountClosure
from tests.conftest import CommittingAPIClient
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.privacy.people import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"
REOPEN_LINK = re.compile(r"https?://\S+/account/reopen/\?token=[\w\-:.%]+")


def close(client: APIClient, **body: Any) -> Any:
    return client.delete("/api/v1/me", {"password": PASSWORD, **body}, format="json")


def reopen_link() -> str:
    match = REOPEN_LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_closing_refuses_every_door_at_once_and_mails_the_way_back() -> None:
    user = UserFactory()
    api, tokens = sign_in(user)
    web = Client()
    web.force_login(user)
    assert web.get("/app/").status_code == 200
    mail.outbox.clear()

    response = close(api)

    assert response.status_code == 202, response.content
    erase_after = parse_datetime(response.json()["erase_after"])
    assert erase_after is not None
    expected = timezone.now() + timedelta(days=30)
    assert abs((erase_after - expected).total_seconds()) < 60
    # API: the access token, the refresh token and a new sign-in are all refused.
    assert api.get("/api/v1/me").status_code == 401
    refreshed = APIClient().post(
        "/api/v1/sessions/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert refreshed.status_code == 401
    again = APIClient().post(
        "/api/v1/sessions", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert again.status_code == 401
    # Web: the open session is gone; data is out of reach.
    assert web.get("/app/").status_code == 302
    assert not Tenant.objects.get(id=user.tenant_id).is_active
    # The mail with the way back, and the security event.
    assert mail.outbox[-1].to == [user.email]
    assert reopen_link().startswith("account/reopen/?token=")
    actions = AuditEvent.all_tenants.filter(tenant_id=user.tenant_id).values_list(
        "action", flat=True
    )
    assert AuditAction.ACCOUNT_CLOSED in actions


def test_a_wrong_password_closes_nothing(api: APIClient) -> None:
    user = UserFactory()
    client, _ = sign_in(user)
    refused = client.delete("/api/v1/me", {"password": "not-it-at-all"}, format="json")
    error = assert_error_shape(refused, status=400, code="VALIDATION_ERROR")
    assert error["details"][0]["field"] == "password"
    assert client.get("/api/v1/me").status_code == 200
    assert not AccountClosure.all_tenants.exists()
    missing = client.delete("/api/v1/me", {}, format="json")
    assert_error_shape(missing, status=400, code="VALIDATION_ERROR")


def test_an_otp_is_accepted_while_two_factor_sign_in_does_not_exist_yet() -> None:
    client, _ = sign_in(UserFactory())
    assert close(client, otp="123456").status_code == 202


def test_the_mailed_link_reopens_once_with_a_new_password(client: Client) -> None:
    user = UserFactory()
    api, _ = sign_in(user)
    assert close(api).status_code == 202
    link = "/" + reopen_link()

    page = client.get(link)
    assert page.status_code == 200
    token = unquote(link.split("token=", 1)[1])
    reopened = client.post(
        "/account/reopen/",
        {
            "token": token,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )

    assert reopened.status_code == 302
    assert reopened["Location"] == "/login/"
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW_PASSWORD)
    assert Tenant.objects.get(id=user.tenant_id).is_active
    closure = AccountClosure.all_tenants.get(tenant_id=user.tenant_id)
    assert closure.reopened_at is not None
    signed_in = CommittingAPIClient().post(
        "/api/v1/sessions",
        {"email": user.email, "password": NEW_PASSWORD},
        format="json",
    )
    assert signed_in.status_code == 201
    used_again = client.post(
        "/account/reopen/",
        {"token": token, "new_password": PASSWORD, "new_password_again": PASSWORD},
    )
    assert used_again.status_code == 400


def test_the_link_stops_working_when_the_grace_period_ends(client: Client) -> None:
    user = UserFactory()
    api, _ = sign_in(user)
    assert close(api).status_code == 202
    link = "/" + reopen_link()
    AccountClosure.all_tenants.update(erase_after=timezone.now() - timedelta(seconds=1))
    token = unquote(link.split("token=", 1)[1])
    refused = client.post(
        "/account/reopen/",
        {
            "token": token,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert refused.status_code == 400
    assert not User.objects.get(id=user.id).is_active
    assert client.get("/account/reopen/?token=forged").status_code == 400


def test_the_privacy_page_closes_the_account_and_signs_out(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.get("/app/privacy/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'action="/app/privacy/close/"' in body
    assert "365 days" in body and "180 days" in body  # the retention periods

    wrong = client.post("/app/privacy/close/", {"password": "not-it-at-all"})
    assert wrong.status_code == 400
    assert User.objects.get(id=user.id).is_active

    closed = client.post("/app/privacy/close/", {"password": PASSWORD})

    assert closed.status_code == 302
    assert closed["Location"] == "/account/closed/"
    assert client.get("/account/closed/").status_code == 200
    assert client.get("/app/privacy/").status_code == 302
    assert not User.objects.get(id=user.id).is_active


def test_the_admin_lists_closures_read_only(staff_client: Client) -> None:
    client, _ = sign_in(UserFactory())
    assert close(client).status_code == 202
    assert staff_client.get("/admin/privacy/accountclosure/").status_code == 200
    assert staff_client.get("/admin/privacy/accountclosure/add/").status_code == 403
