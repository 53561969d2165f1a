"""A person's own security over the API: password change, signed-in devices,
two-step sign-in, change of address, consents (issue 13, ADR 0019)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from modules.identity.infrastructure.models import (
    AuditEvent,
    Consent,
    RecoveryCode,
    SignIn,
    TotpDevice,
    User,
)
from tests.conftest import CommittingAPIClient
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import assert_error_shape

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-77"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
FRAGMENT_TOKEN = re.compile(r"#token=([\w\-:.]+)")


def log_in(user: Any, *, password: str = PASSWORD, **body: str) -> dict[str, Any]:
    response = CommittingAPIClient().post(
        "/api/v1/sessions",
        {"email": user.email, "password": password, **body},
        format="json",
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR="203.0.113.57",
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def bearer(access: str) -> APIClient:
    client = CommittingAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def refresh_status(refresh: str) -> int:
    response = APIClient().post(
        "/api/v1/sessions/refresh", {"refresh": refresh}, format="json"
    )
    return int(response.status_code)


# --- Password change -----------------------------------------------------------------
def test_a_password_change_ends_every_other_sign_in_and_keeps_this_one(
    client: Client,
) -> None:
    user = UserFactory()
    this, other = log_in(user), log_in(user)
    client.force_login(user)
    mail.outbox.clear()

    response = bearer(this["access"]).post(
        "/api/v1/me/password-changes",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 200, response.content
    fresh = response.json()
    assert bearer(fresh["access"]).get("/api/v1/me").status_code == 200
    assert refresh_status(fresh["refresh"]) == 201
    for old in (this, other):
        assert bearer(old["access"]).get("/api/v1/me").status_code == 401
        assert refresh_status(old["refresh"]) == 401
    assert client.get("/app/settings/").status_code == 302  # the web session too
    assert mail.outbox[-1].to == [user.email]
    assert "password" in mail.outbox[-1].subject.lower()
    assert SignIn.objects.filter(user=user).count() == 1  # this device only
    assert AuditEvent.all_tenants.filter(
        action="user.password_changed", metadata__via="settings"
    ).exists()
    log_in(user, password=NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing() -> None:
    user = UserFactory()
    tokens = log_in(user)
    response = bearer(tokens["access"]).post(
        "/api/v1/me/password-changes",
        {"current_password": "not-my-password-at-all", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert_error_shape(response, status=400, code="INVALID_PASSWORD")
    assert bearer(tokens["access"]).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("path", ["admin", "reset"])
def test_any_password_change_signs_out_web_sessions_and_tokens(
    client: Client, path: str
) -> None:
    user = UserFactory()
    tokens = log_in(user)
    client.force_login(user)
    if path == "admin":
        user.set_password(NEW_PASSWORD)
        user.save()
    else:
        from modules.identity.application import use_cases
        from modules.identity.application.ports import AccountMail
        from modules.identity.infrastructure.stores import SignedLinkTokens
        from modules.identity.infrastructure.uow import unit_of_work

        token = SignedLinkTokens().make(AccountMail.RESET_PASSWORD, user.id)
        use_cases.reset_password(
            uow=unit_of_work(), token=token, new_password=NEW_PASSWORD
        )
    assert client.get("/app/settings/").status_code == 302
    assert bearer(tokens["access"]).get("/api/v1/me").status_code == 401
    assert refresh_status(tokens["refresh"]) == 401
    assert bearer(tokens["access"]).get("/api/v1/sessions").status_code == 401


# --- Signed-in devices -----------------------------------------------------------------
def test_devices_are_listed_with_device_and_place_and_one_can_be_signed_out(
    client: Client,
) -> None:
    user = UserFactory()
    this, other = log_in(user), log_in(user)
    client.force_login(user)
    api = bearer(this["access"])

    listing = api.get("/api/v1/sessions")
    assert listing.status_code == 200, listing.content
    rows = listing.json()["results"]
    assert {row["kind"] for row in rows} == {"web", "app"}
    apps = [row for row in rows if row["kind"] == "app"]
    assert len(apps) == 2
    assert {row["device"] for row in apps} == {"Firefox on Linux"}
    assert {row["place"] for row in apps} == {"203.0.113.0/24"}
    assert sum(row["current"] for row in rows) == 1

    others = [row for row in apps if not row["current"]]
    assert api.delete(f"/api/v1/sessions/{others[0]['id']}").status_code == 204
    assert bearer(other["access"]).get("/api/v1/me").status_code == 401
    assert refresh_status(other["refresh"]) == 401
    web = next(row for row in rows if row["kind"] == "web")
    assert api.delete(f"/api/v1/sessions/{web['id']}").status_code == 204
    assert client.get("/app/settings/").status_code == 302
    assert api.get("/api/v1/me").status_code == 200
    assert len(api.get("/api/v1/sessions").json()["results"]) == 1
    assert AuditEvent.all_tenants.filter(action="user.session_revoked").count() == 2


def test_another_persons_session_answers_404() -> None:
    ana, bob = UserFactory(), UserFactory()
    log_in(bob)
    bobs = SignIn.objects.get(user=bob)
    response = bearer(log_in(ana)["access"]).delete(f"/api/v1/sessions/{bobs.id}")
    assert_error_shape(response, status=404)
    assert SignIn.objects.filter(id=bobs.id).exists()


def test_an_app_sign_in_past_its_absolute_lifetime_cannot_refresh() -> None:
    user = UserFactory()
    tokens = log_in(user)
    SignIn.objects.filter(user=user).update(
        created_at=timezone.now() - timedelta(days=61)
    )
    assert refresh_status(tokens["refresh"]) == 401
    assert bearer(tokens["access"]).get("/api/v1/me").status_code == 401


def test_a_web_session_idle_too_long_is_signed_out(
    client: Client, settings: Any
) -> None:
    user = UserFactory()
    client.force_login(user)
    assert client.get("/app/settings/").status_code == 200
    session = client.session
    session["_seen_at"] = time.time() - timedelta(days=4).total_seconds()
    session.save()
    assert client.get("/app/settings/").status_code == 302


# --- Two-step sign-in --------------------------------------------------------------------
def turn_on_totp(api: APIClient) -> tuple[pyotp.TOTP, list[str]]:
    started = api.post("/api/v1/me/mfa/totp", {}, format="json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert body["qr_svg"].startswith("<svg")
    totp = pyotp.TOTP(body["secret"])
    confirmed = api.post(
        "/api/v1/me/mfa/totp/confirmations", {"code": totp.now()}, format="json"
    )
    assert confirmed.status_code == 201, confirmed.content
    return totp, confirmed.json()["recovery_codes"]


def next_code(totp: pyotp.TOTP) -> str:
    return totp.at(time.time() + 30)


def test_two_step_sign_in_over_the_api() -> None:
    user = UserFactory()
    api = bearer(log_in(user)["access"])
    totp, recovery = turn_on_totp(api)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert TotpDevice.objects.get(user=user).confirmed_at is not None

    no_code = CommittingAPIClient().post(
        "/api/v1/sessions", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert_error_shape(no_code, status=401, code="OTP_REQUIRED")
    code = next_code(totp)
    log_in(user, otp=code)
    replay = CommittingAPIClient().post(
        "/api/v1/sessions",
        {"email": user.email, "password": PASSWORD, "otp": code},
        format="json",
    )
    assert_error_shape(replay, status=400, code="OTP_INVALID")
    log_in(user, otp=recovery[0])
    reused = CommittingAPIClient().post(
        "/api/v1/sessions",
        {"email": user.email, "password": PASSWORD, "otp": recovery[0]},
        format="json",
    )
    assert_error_shape(reused, status=400, code="OTP_INVALID")
    assert AuditEvent.all_tenants.filter(action="user.recovery_code_used").count() == 1


def test_wrong_codes_count_towards_the_lockout() -> None:
    user = UserFactory()
    totp, _ = turn_on_totp(bearer(log_in(user)["access"]))
    for attempt in range(5):  # from five networks: the per-IP budget is not the point
        wrong = CommittingAPIClient().post(
            "/api/v1/sessions",
            {"email": user.email, "password": PASSWORD, "otp": "000000"},
            format="json",
            REMOTE_ADDR=f"198.51.100.{attempt}",
        )
        assert wrong.status_code in (400, 429), wrong.content
    locked = CommittingAPIClient().post(
        "/api/v1/sessions",
        {"email": user.email, "password": PASSWORD, "otp": next_code(totp)},
        format="json",
        REMOTE_ADDR="198.51.100.9",
    )
    assert_error_shape(locked, status=429, code="TOO_MANY_FAILED_LOGINS")


def test_turning_two_step_off_needs_a_code() -> None:
    user = UserFactory()
    api = bearer(log_in(user)["access"])
    totp, _ = turn_on_totp(api)
    again = api.post("/api/v1/me/mfa/totp", {}, format="json")
    assert_error_shape(again, status=409, code="TOTP_ALREADY_ON")
    wrong = api.delete("/api/v1/me/mfa/totp", {"code": "000000"}, format="json")
    assert_error_shape(wrong, status=400, code="OTP_INVALID")
    off = api.delete("/api/v1/me/mfa/totp", {"code": next_code(totp)}, format="json")
    assert off.status_code == 204
    assert not TotpDevice.objects.filter(user=user).exists()
    log_in(user)


def test_a_wrong_first_code_does_not_turn_it_on() -> None:
    user = UserFactory()
    api = bearer(log_in(user)["access"])
    api.post("/api/v1/me/mfa/totp", {}, format="json")
    wrong = api.post("/api/v1/me/mfa/totp/confirmations", {"code": "12"}, format="json")
    assert_error_shape(wrong, status=400, code="OTP_INVALID")
    log_in(user)


# --- Change of address ---------------------------------------------------------------------
def test_a_change_of_address_is_confirmed_from_the_new_one_and_can_be_undone(
    client: Client,
) -> None:
    user = UserFactory(email="old@example.com")
    api = bearer(log_in(user)["access"])
    mail.outbox.clear()
    wrong = api.post(
        "/api/v1/me/email-changes",
        {"new_email": "new@example.com", "password": "not-the-password"},
        format="json",
    )
    assert_error_shape(wrong, status=400, code="INVALID_PASSWORD")
    asked = api.post(
        "/api/v1/me/email-changes",
        {"new_email": "New@Example.com", "password": PASSWORD},
        format="json",
    )
    assert asked.status_code == 202
    confirm = mail.outbox[-1]
    assert confirm.to == ["new@example.com"]
    assert "?token=" not in confirm.body
    token = FRAGMENT_TOKEN.search(confirm.body).group(1)  # type: ignore[union-attr]
    log_in(user)  # nothing changes until the link is used

    page = client.get("/email-change/confirm/")
    assert page.status_code == 200 and b"data-token-from-fragment" in page.content
    done = client.post("/email-change/confirm/", {"token": token})
    assert done.status_code == 302
    assert User.objects.get(id=user.id).email == "new@example.com"
    assert client.post("/email-change/confirm/", {"token": token}).status_code == 200
    told = mail.outbox[-1]
    assert told.to == ["old@example.com"] and "new@example.com" in told.body
    fresh = CommittingAPIClient().post(
        "/api/v1/sessions",
        {"email": "new@example.com", "password": PASSWORD},
        format="json",
    )
    assert fresh.status_code == 201

    turn_on_totp(bearer(fresh.json()["access"]))  # whoever changed it adds an app

    revert = FRAGMENT_TOKEN.search(told.body).group(1)  # type: ignore[union-attr]
    assert client.post("/email-change/revert/", {"token": revert}).status_code == 302
    assert User.objects.get(id=user.id).email == "old@example.com"
    assert bearer(fresh.json()["access"]).get("/api/v1/me").status_code == 401
    # The password they knew stops working, their app goes, a reset link comes.
    assert not User.objects.get(id=user.id).has_usable_password()
    assert not TotpDevice.objects.filter(user_id=user.id).exists()
    assert not RecoveryCode.objects.filter(user_id=user.id).exists()
    reset = mail.outbox[-1]
    assert reset.to == ["old@example.com"]
    assert "/password-reset/confirm/#token=" in reset.body
    actions = set(AuditEvent.all_tenants.values_list("action", flat=True))
    assert {
        "user.email_change_requested",
        "user.email_changed",
        "user.email_change_reverted",
    } <= actions


def test_an_address_already_registered_gets_the_same_answer_and_no_link() -> None:
    taken, user = UserFactory(), UserFactory()
    mail.outbox.clear()
    response = bearer(log_in(user)["access"]).post(
        "/api/v1/me/email-changes",
        {"new_email": taken.email, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 202
    assert mail.outbox == []


# --- Consents ---------------------------------------------------------------------------------
def test_sign_up_and_marketing_choices_leave_a_consent_history() -> None:
    api = CommittingAPIClient()
    created = api.post(
        "/api/v1/users",
        {"email": "cara@example.com", "password": PASSWORD, "accepted_terms": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    user = User.objects.get(email="cara@example.com")
    user.email_verified_at = timezone.now()
    user.save()
    me = bearer(log_in(user)["access"])
    me.patch("/api/v1/me", {"marketing_consent": True}, format="json")
    me.patch("/api/v1/me", {"marketing_consent": False}, format="json")
    history = list(
        Consent.all_tenants.filter(user=user)
        .order_by("occurred_at")
        .values_list("kind", "version", "granted")
    )
    assert history == [
        ("terms", "2026-11", True),
        ("marketing", "", True),
        ("marketing", "", False),
    ]
