"""The settings page's security sections and the admin's second step (ADR 0019)."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.core import mail
from django.test import Client

from modules.identity.application.ports import AuditAction
from modules.identity.infrastructure.models import AuditEvent, SignIn, User
from tests.conftest import CommittingClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-77"
SECRET = re.compile(rb'<code id="totp-secret">([A-Z2-7]+)</code>')


def signed_in_client(user: Any) -> Client:
    client = CommittingClient()
    response = client.post("/login/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_the_settings_page_shows_devices_two_step_and_consents(client: Client) -> None:
    user = UserFactory()
    client = signed_in_client(user)
    page = client.get("/app/settings/")
    assert page.status_code == 200
    for text in (
        b"Signed-in devices",
        b"This device",
        b"Two-step sign-in",
        b"Your consents",
        b'autocomplete="current-password"',
    ):
        assert text in page.content


def test_a_password_change_on_the_web_keeps_this_session_and_ends_the_others() -> None:
    user = UserFactory()
    this, other = signed_in_client(user), signed_in_client(user)
    mail.outbox.clear()
    response = this.post(
        "/app/settings/password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert this.get("/app/settings/").status_code == 200
    assert other.get("/app/settings/").status_code == 302
    assert SignIn.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1


def test_a_wrong_current_password_is_shown_on_the_settings_page() -> None:
    client = signed_in_client(UserFactory())
    response = client.post(
        "/app/settings/password/",
        {"current_password": "not-my-password-at-all", "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert b"Your current password is not right." in response.content


def test_signing_out_every_other_device() -> None:
    user = UserFactory()
    this, other = signed_in_client(user), signed_in_client(user)
    assert this.post("/app/settings/devices/sign-out-others/").status_code == 302
    assert other.get("/app/settings/").status_code == 302
    assert this.get("/app/settings/").status_code == 200


def turn_on_on_the_web(client: Client) -> tuple[pyotp.TOTP, list[str]]:
    page = client.post("/app/settings/two-step/")
    assert page.status_code == 200 and b"<svg" in page.content
    found = SECRET.search(page.content)
    assert found, page.content
    totp = pyotp.TOTP(found.group(1).decode())
    wrong = client.post("/app/settings/two-step/", {"code": "000000"})
    assert b"That code is not right" in wrong.content
    done = client.post("/app/settings/two-step/", {"code": totp.now()})
    assert done.status_code == 200
    codes = re.findall(
        rb"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.content
    )
    assert len(codes) == 10
    return totp, [code.decode() for code in codes]


def test_two_step_sign_in_on_the_web(client: Client) -> None:
    user = UserFactory()
    _totp, codes = turn_on_on_the_web(signed_in_client(user))

    first = client.post("/login/", {"email": user.email, "password": PASSWORD})
    assert first.status_code == 302 and first["Location"].startswith("/login/code/")
    assert client.get("/app/settings/").status_code == 302  # not signed in yet
    wrong = client.post("/login/code/", {"code": "000000"})
    assert b"That code is not right" in wrong.content
    done = client.post("/login/code/", {"code": codes[0]})
    assert done.status_code == 302
    assert client.get("/app/settings/").status_code == 200


def test_the_code_step_needs_a_password_first(client: Client) -> None:
    assert client.get("/login/code/")["Location"] == "/login/"


def test_the_admin_refuses_staff_until_two_step_sign_in_passed(client: Client) -> None:
    root = User.objects.create_superuser("root@example.com", PASSWORD)
    client.force_login(root)
    blocked = client.get("/admin/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/login/code/")
    setup = client.get(blocked["Location"])
    assert b"needs two-step sign-in" in setup.content

    # Turning it on proves no more than the password did: this session stays out
    # of the admin, and a code typed into it now does not let it in either.
    totp, _ = turn_on_on_the_web(client)
    still_blocked = client.get("/admin/")
    assert still_blocked["Location"].startswith("/login/code/")
    page = client.get(still_blocked["Location"])
    assert b"turned on after you signed in" in page.content
    code = client.post("/login/code/?next=/admin/", {"code": totp.now()})
    assert code.status_code == 200
    assert client.get("/admin/").status_code == 302

    fresh = CommittingClient()
    fresh.force_login(root)
    assert fresh.get("/admin/").status_code == 302
    sign_ins = AuditEvent.all_tenants.filter(action=AuditAction.LOGIN_SUCCEEDED)
    before = sign_ins.count()
    passed = fresh.post(
        "/login/code/?next=/admin/",
        {"code": totp.at(time.time() + 30), "next": "/admin/"},
    )
    assert passed["Location"] == "/admin/"
    assert fresh.get("/admin/").status_code == 200
    assert sign_ins.count() == before  # a step on the way to the admin, no new sign-in


def test_the_admin_lists_devices_without_their_keys(staff_client: Client) -> None:
    user = UserFactory()
    signed_in_client(user)
    page = staff_client.get("/admin/identity/signin/")
    assert page.status_code == 200
    row = SignIn.objects.get(user=user)
    assert (
        row.key.encode()
        not in staff_client.get(f"/admin/identity/signin/{row.id}/change/").content
    )


def test_the_admin_sign_in_page_leads_to_the_one_with_a_second_step(
    client: Client,
) -> None:
    response = client.get("/admin/login/?next=/admin/identity/user/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2Fidentity%2Fuser%2F"
