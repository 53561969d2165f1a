"""Tenant isolation: the manager fails closed and one tenant never sees another's rows."""

from __future__ import annotations

from typing import Any

import pytest

from modules.identity.infrastructure.models import AuditEvent, Profile
from modules.shared.application.tenancy import TenantNotSetError, tenant_scope
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_query_with_no_tenant_raises() -> None:
    UserFactory()
    with pytest.raises(TenantNotSetError):
        list(Profile.objects.all())
    with pytest.raises(TenantNotSetError):
        Profile.objects.count()


def test_the_manager_returns_only_the_active_tenants_rows() -> None:
    ana, ben = UserFactory(), UserFactory()
    with tenant_scope(ana.tenant_id):
        assert list(Profile.objects.values_list("user_id", flat=True)) == [ana.id]
        assert not Profile.objects.filter(user_id=ben.id).exists()
    with tenant_scope(ben.tenant_id):
        assert list(Profile.objects.values_list("user_id", flat=True)) == [ben.id]


def test_scopes_nest_and_restore() -> None:
    ana, ben = UserFactory(), UserFactory()
    with tenant_scope(ana.tenant_id):
        with tenant_scope(ben.tenant_id):
            assert Profile.objects.get().user_id == ben.id
        assert Profile.objects.get().user_id == ana.id
    with pytest.raises(TenantNotSetError):
        Profile.objects.first()


def test_audit_events_are_scoped_too(signed_in: Any) -> None:
    ana, ben = UserFactory(), UserFactory()
    signed_in(ana)
    signed_in(ben)
    with tenant_scope(ana.tenant_id):
        assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {ana.id}


def test_api_never_shows_another_tenants_profile(signed_in: Any) -> None:
    ana, ben = UserFactory(), UserFactory()
    as_ana, as_ben = signed_in(ana), signed_in(ben)
    as_ben.patch("/api/v1/me", {"base_currency": "JPY"}, format="json")
    assert as_ana.get("/api/v1/me").json()["id"] == str(ana.id)
    assert as_ana.get("/api/v1/me").json()["base_currency"] == "EUR"
    assert as_ben.get("/api/v1/me").json()["base_currency"] == "JPY"


def test_a_token_for_a_deactivated_tenant_member_is_refused(signed_in: Any) -> None:
    ana = UserFactory()
    client = signed_in(ana)
    ana.is_active = False
    ana.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401
