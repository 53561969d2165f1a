"""The mobile app's identity journey, through the real API and the real database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from modules.identity.infrastructure.models import AuditEvent, User
from tests.integration.conftest import assert_error_shape, token_from_last_mail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-77"
SIGNUP = {
    "email": "Ana.Lopez@Example.com",
    "password": "correct horse battery staple",
    "accepted_terms": True,
    "locale": "es",
    "timezone": "Europe/Madrid",
    "base_currency": "MXN",
}


def register(api: APIClient, **overrides: Any) -> Any:
    return api.post("/api/v1/users", {**SIGNUP, **overrides}, format="json")


def login(
    api: APIClient, email: str = SIGNUP["email"], password: str = SIGNUP["password"]
) -> Any:
    return api.post(
        "/api/v1/sessions", {"email": email, "password": password}, format="json"
    )


def test_register_verify_login_refresh_me_logout(api: APIClient) -> None:
    created = register(api)
    assert created.status_code == 201
    assert created.json()["email"] == "ana.lopez@example.com"
    assert created.json()["email_verified"] is False
    assert len(mail.outbox) == 1
    assert "Verifica" in mail.outbox[0].subject  # sent in the person's language

    assert_error_shape(login(api), status=403, code="EMAIL_NOT_VERIFIED")

    verified = api.post(
        "/api/v1/email-verifications", {"token": token_from_last_mail()}, format="json"
    )
    assert verified.status_code == 204

    session = login(api, email="ANA.lopez@example.com")
    assert session.status_code == 201
    tokens = session.json()
    assert set(tokens) == {"access", "refresh", "access_expires_at"}

    refreshed = api.post(
        "/api/v1/sessions/refresh", {"refresh": tokens["refresh"]}, format="json"
    )
    assert refreshed.status_code == 201
    rotated = refreshed.json()
    assert rotated["refresh"] != tokens["refresh"]

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {rotated['access']}")
    me = api.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == "ana.lopez@example.com"
    assert me.json()["locale"] == "es"
    assert me.json()["base_currency"] == "MXN"
    assert me.json()["email_verified"] is True

    out = api.delete(
        "/api/v1/sessions/current", {"refresh": rotated["refresh"]}, format="json"
    )
    assert out.status_code == 204
    after = api.post(
        "/api/v1/sessions/refresh", {"refresh": rotated["refresh"]}, format="json"
    )
    assert_error_shape(after, status=401)

    actions = set(AuditEvent.all_tenants.values_list("action", flat=True))
    assert {
        "user.registered",
        "user.email_verified",
        "user.login_succeeded",
        "user.logged_out",
    } <= actions


def test_a_registration_creates_its_own_tenant(api: APIClient) -> None:
    register(api, email="one@example.com")
    register(api, email="two@example.com")
    one, two = (
        User.objects.get(email="one@example.com"),
        User.objects.get(email="two@example.com"),
    )
    assert one.tenant_id != two.tenant_id
    assert one.profile.tenant_id == one.tenant_id


def test_verification_link_works_once(api: APIClient) -> None:
    register(api)
    token = token_from_last_mail()
    assert (
        api.post(
            "/api/v1/email-verifications", {"token": token}, format="json"
        ).status_code
        == 204
    )
    again = api.post("/api/v1/email-verifications", {"token": token}, format="json")
    assert_error_shape(again, status=400, code="INVALID_OR_EXPIRED_TOKEN")


def test_verification_link_expires(api: APIClient, settings: Any) -> None:
    register(api)
    token = token_from_last_mail()
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    expired = api.post("/api/v1/email-verifications", {"token": token}, format="json")
    assert_error_shape(expired, status=400, code="INVALID_OR_EXPIRED_TOKEN")


def test_tampered_token_is_refused(api: APIClient) -> None:
    register(api)
    token = token_from_last_mail()
    bad = api.post(
        "/api/v1/email-verifications", {"token": token[:-2] + "xx"}, format="json"
    )
    assert_error_shape(bad, status=400, code="INVALID_OR_EXPIRED_TOKEN")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "123456789012345"}, "password"),
        ({"password": "ana.lopez@example.com"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"locale": "fr"}, "locale"),
        ({"base_currency": "XXY"}, "base_currency"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_registration_validation_names_the_field(
    api: APIClient, overrides: dict[str, Any], field: str
) -> None:
    error = assert_error_shape(
        register(api, **overrides), status=400, code="VALIDATION_ERROR"
    )
    assert field in {detail["field"] for detail in error["details"]}
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_terms_must_be_accepted(api: APIClient) -> None:
    error = assert_error_shape(register(api, accepted_terms=False), status=400)
    assert error["details"][0]["field"] == "accepted_terms"
    assert User.objects.count() == 0


def test_a_taken_address_answers_like_a_new_one_and_its_owner_is_told(
    api: APIClient,
) -> None:
    """Sign-up tells nobody whether an address is registered (issue 14): the same
    status and shape, an id that names nobody, and a mail to the owner instead."""
    first = register(api)
    User.objects.filter(email="ana.lopez@example.com").update(
        email_verified_at=timezone.now()
    )
    again = register(api, email="ANA.LOPEZ@example.com")

    assert again.status_code == first.status_code == 201
    assert again.json().keys() == first.json().keys()
    assert again.json()["id"] != first.json()["id"]
    assert not User.objects.filter(id=again.json()["id"]).exists()
    assert User.objects.count() == 1
    told = mail.outbox[-1]
    assert told.to == ["ana.lopez@example.com"]
    assert "/login/" in told.body and "/password-reset/" in told.body
    assert "token=" not in told.body


def test_a_taken_unverified_address_gets_a_new_verification_link(
    api: APIClient,
) -> None:
    register(api)
    again = register(api)
    assert again.status_code == 201
    assert len(mail.outbox) == 2
    assert "verify-email/#token=" in mail.outbox[-1].body


def test_wrong_password_and_unknown_email_answer_alike(
    api: APIClient, member: Any
) -> None:
    wrong = assert_error_shape(
        login(api, member.email, "not-the-password-at-all"), status=401
    )
    unknown = assert_error_shape(
        login(api, "nobody@example.com", "whatever-password"), status=401
    )
    assert wrong["code"] == unknown["code"] == "INVALID_CREDENTIALS"
    assert wrong["message"] == unknown["message"]


@pytest.mark.parametrize("registered", [True, False])
def test_five_failures_lock_the_address(
    api: APIClient, member: Any, registered: bool
) -> None:
    email = member.email if registered else "ghost@example.com"
    for attempt in range(4):
        response = api.post(
            "/api/v1/sessions",
            {"email": email, "password": "wrong-password-guess"},
            format="json",
            REMOTE_ADDR=f"10.0.0.{attempt}",
        )
        assert_error_shape(response, status=401, code="INVALID_CREDENTIALS")
    fifth = api.post(
        "/api/v1/sessions",
        {"email": email, "password": "wrong-password-guess"},
        format="json",
        REMOTE_ADDR="10.0.1.1",
    )
    error = assert_error_shape(fifth, status=429, code="TOO_MANY_FAILED_LOGINS")
    assert int(fifth["Retry-After"]) > 0
    correct = api.post(
        "/api/v1/sessions",
        {"email": email, "password": "a-long-enough-passphrase-42"},
        format="json",
        REMOTE_ADDR="10.0.1.2",
    )
    assert assert_error_shape(correct, status=429)["message"] == error["message"]
    if registered:
        assert AuditEvent.all_tenants.filter(
            action="user.locked_out", actor_id=member.id
        ).exists()


def test_password_reset_signs_out_every_app_session(
    api: APIClient, member: Any
) -> None:
    old = login(api, member.email, "a-long-enough-passphrase-42").json()
    api.post("/api/v1/password-resets", {"email": member.email}, format="json")
    api.post(
        "/api/v1/password-resets/confirmations",
        {"token": token_from_last_mail(), "password": NEW_PASSWORD},
        format="json",
    )
    refresh = api.post(
        "/api/v1/sessions/refresh", {"refresh": old["refresh"]}, format="json"
    )
    assert_error_shape(refresh, status=401)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {old['access']}")
    assert_error_shape(api.get("/api/v1/me"), status=401)


def test_password_reset_round_trip(api: APIClient, member: Any) -> None:
    assert (
        api.post(
            "/api/v1/password-resets", {"email": member.email}, format="json"
        ).status_code
        == 202
    )
    unknown = api.post(
        "/api/v1/password-resets", {"email": "nobody@example.com"}, format="json"
    )
    assert unknown.status_code == 202
    assert len(mail.outbox) == 1
    token = token_from_last_mail()
    done = api.post(
        "/api/v1/password-resets/confirmations",
        {"token": token, "password": "another-long-passphrase-77"},
        format="json",
    )
    assert done.status_code == 204
    assert login(api, member.email, "another-long-passphrase-77").status_code == 201
    reuse = api.post(
        "/api/v1/password-resets/confirmations",
        {"token": token, "password": "yet-another-passphrase-99"},
        format="json",
    )
    assert_error_shape(reuse, status=400, code="INVALID_OR_EXPIRED_TOKEN")
    assert AuditEvent.all_tenants.filter(
        action="user.password_changed", actor_id=member.id
    ).exists()


def test_a_password_reset_lifts_the_lockout(api: APIClient, member: Any) -> None:
    for attempt in range(5):
        login_from = {"REMOTE_ADDR": f"10.9.0.{attempt}"}
        api.post(
            "/api/v1/sessions",
            {"email": member.email, "password": "wrong-password-guess"},
            format="json",
            **login_from,
        )
    api.post("/api/v1/password-resets", {"email": member.email}, format="json")
    api.post(
        "/api/v1/password-resets/confirmations",
        {"token": token_from_last_mail(), "password": NEW_PASSWORD},
        format="json",
    )
    assert login(api, member.email, NEW_PASSWORD).status_code == 201


def test_weak_reset_password_is_refused(api: APIClient, member: Any) -> None:
    api.post("/api/v1/password-resets", {"email": member.email}, format="json")
    weak = api.post(
        "/api/v1/password-resets/confirmations",
        {"token": token_from_last_mail(), "password": "short"},
        format="json",
    )
    assert_error_shape(weak, status=400, code="VALIDATION_ERROR")


def test_patch_me_changes_preferences(signed_in: Any, member: Any) -> None:
    client = signed_in(member)
    response = client.patch(
        "/api/v1/me", {"locale": "es", "notify_by_email": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["locale"] == "es"
    assert response.json()["notify_by_email"] is False
    event = AuditEvent.all_tenants.get(action="user.preferences_changed")
    assert event.metadata == {"fields": "locale,notify_by_email"}


def test_me_requires_a_token(api: APIClient) -> None:
    assert_error_shape(api.get("/api/v1/me"), status=401, code="NOT_AUTHENTICATED")


def test_password_hasher_is_argon2(member: Any) -> None:
    assert member.password.startswith("argon2$argon2id$")


@pytest.mark.parametrize("known", [True, False])
def test_a_reset_request_only_queues_its_work(member: Any, known: bool) -> None:
    """The request does the same for a known and an unknown address: it queues
    one task; the look-up and the mail happen in it (issue 14)."""
    email = member.email if known else "nobody@example.com"
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = APIClient().post(
            "/api/v1/password-resets", {"email": email}, format="json"
        )
    assert response.status_code == 202
    assert len(queued) == 1
    assert mail.outbox == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        queued[0]()
    assert len(mail.outbox) == (1 if known else 0)
