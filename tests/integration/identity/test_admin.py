"""The admin as a product surface: useful lists, and an audit trail nobody can edit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from modules.identity.infrastructure.models import AuditEvent, User
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import passed_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    admin = User.objects.create_superuser("root@example.com", PASSWORD)
    assert client.login(email=admin.email, password=PASSWORD)
    return passed_second_factor(client)


def test_admin_sign_in_goes_through_lockout_and_audit(client: Client) -> None:
    User.objects.create_superuser("root@example.com", PASSWORD)
    response = client.post(
        "/admin/login/", {"username": "root@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEvent.all_tenants.filter(
        action="user.login_succeeded", metadata__surface="admin"
    ).exists()


def test_user_list_filters_and_search(staff_client: Client) -> None:
    UserFactory(email="findme@example.com")
    UserFactory(email="other@example.com", email_verified_at=None)
    page = staff_client.get("/admin/identity/user/", {"q": "findme"})
    assert page.status_code == 200
    assert b"findme@example.com" in page.content
    assert b"other@example.com" not in page.content
    unverified = staff_client.get(
        "/admin/identity/user/", {"email_verified_at__isempty": "1"}
    )
    assert b"other@example.com" in unverified.content
    assert b"findme@example.com" not in unverified.content


def test_tenant_list_shows_owner_and_members(staff_client: Client) -> None:
    member = UserFactory(email="owner@example.com")
    page = staff_client.get("/admin/identity/tenant/", {"q": "owner@"})
    assert page.status_code == 200
    assert str(member.tenant_id).encode() in page.content
    assert b"owner@example.com" in page.content


def test_every_admin_change_is_audited_without_values(staff_client: Client) -> None:
    member = UserFactory()
    url = f"/admin/identity/user/{member.id}/change/"
    form = staff_client.get(url).context["adminform"].form
    data: dict[str, Any] = {
        key: value for key, value in form.initial.items() if value is not None
    }
    data.update(
        {
            "email": "renamed@example.com",
            "groups": [],
            "user_permissions": [],
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": str(member.profile.id),
            "profile-0-user": str(member.id),
            "profile-0-locale": "en",
            "profile-0-timezone": "UTC",
            "profile-0-base_currency": "EUR",
        }
    )
    data = {
        key: value
        for key, value in data.items()
        if key not in {"password", "last_login", "date_joined"}
    }
    response = staff_client.post(url, data)
    errors = response.context and [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    assert response.status_code == 302, errors
    event = AuditEvent.all_tenants.get(action="admin.change")
    assert event.metadata["operation"] == "changed"
    assert event.metadata["object_type"] == "identity.user"
    assert event.metadata["object_id"] == str(member.id)
    assert "renamed@example.com" not in str(event.metadata)


def test_audit_trail_is_read_only_in_the_admin(staff_client: Client) -> None:
    event = AuditEvent.all_tenants.create(action="user.registered")
    assert staff_client.get("/admin/identity/auditevent/").status_code == 200
    assert staff_client.get("/admin/identity/auditevent/add/").status_code == 403
    assert (
        staff_client.post(
            f"/admin/identity/auditevent/{event.id}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    detail = staff_client.get(f"/admin/identity/auditevent/{event.id}/change/")
    assert detail.status_code == 200
    assert b'name="action"' not in detail.content


def test_audit_events_refuse_updates_and_deletes_in_code() -> None:
    from modules.identity.infrastructure.models import AppendOnlyError

    event = AuditEvent.all_tenants.create(action="user.registered")
    event.action = "user.logged_out"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_a_person_added_in_the_admin_gets_a_tenant_and_profile(
    staff_client: Client,
) -> None:
    response = staff_client.post(
        "/admin/identity/user/add/",
        {"email": "Added@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    added = User.objects.get(email="added@example.com")
    assert added.tenant_id
    assert added.profile.tenant_id == added.tenant_id
    assert AuditEvent.all_tenants.filter(
        action="admin.change", metadata__operation="added"
    ).exists()
