"""The owner's settings as other modules read them: within `owner_settings_read_once`
each tenant's are read once, and outside it every call reads them afresh."""

from __future__ import annotations

from typing import Any

import pytest

from modules.identity import api as identity
from modules.identity.infrastructure.models import Profile
from modules.shared.application.tenancy import tenant_scope
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_settings_are_read_once_per_tenant_within_the_block(
    django_assert_num_queries: Any,
) -> None:
    ana, ben = UserFactory(), UserFactory()
    Profile.all_tenants.filter(user=ben).update(base_currency="USD")
    with django_assert_num_queries(2), identity.owner_settings_read_once():
        for _ in range(3):
            with tenant_scope(ana.tenant_id):
                assert identity.owner_settings().base_currency == "EUR"
            with tenant_scope(ben.tenant_id):
                assert identity.owner_settings().base_currency == "USD"


def test_outside_the_block_each_read_sees_the_latest_settings() -> None:
    ana = UserFactory()
    with tenant_scope(ana.tenant_id):
        with identity.owner_settings_read_once():
            assert identity.owner_settings().time_zone == "UTC"
        Profile.objects.update(timezone="Europe/Madrid")
        assert identity.owner_settings().time_zone == "Europe/Madrid"
