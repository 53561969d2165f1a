"""The admin lists every tenant's rules and shows one with its occurrences."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from modules.identity.infrastructure.models import User
from modules.recurring.infrastructure.models import RecurringRule
from modules.recurring.infrastructure.sweep import sweep_all
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import passed_second_factor
from tests.integration.recurring.helpers import new_account, new_rule, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    User.objects.create_superuser("root@example.com", PASSWORD)
    client.login(email="root@example.com", password=PASSWORD)
    return passed_second_factor(client)


def test_rules_and_their_occurrences_in_the_admin(staff_client: Client) -> None:
    person: Any = UserFactory()
    account = new_account(person.tenant_id)
    new_rule(person.tenant_id, account.id, starts_on=today(), frequency="daily")
    sweep_all()
    rule = RecurringRule.all_tenants.get()
    listing = staff_client.get("/admin/recurring/recurringrule/")
    assert listing.status_code == 200
    assert b"Rent" in listing.content
    page = staff_client.get(f"/admin/recurring/recurringrule/{rule.id}/change/")
    assert page.status_code == 200
    assert b"Recorded" in page.content  # the inline of its occurrences
    assert staff_client.get("/admin/recurring/occurrence/").status_code == 200
