"""Two workers sweeping at once on PostgreSQL record each due date once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from modules.recurring.application.use_cases import SweepResult
from modules.recurring.infrastructure.models import Occurrence
from modules.recurring.infrastructure.sweep import sweep_all
from modules.shared.application.tenancy import tenant_scope
from modules.transactions.infrastructure.models import Entry
from tests.factories import UserFactory
from tests.integration.recurring.helpers import new_account, new_rule, today

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_two_workers_at_once_record_each_date_once() -> None:
    people = [UserFactory() for _ in range(3)]
    for person in people:
        account = new_account(person.tenant_id)
        for amount in ("1.00", "2.00", "3.00"):
            new_rule(
                person.tenant_id,
                account.id,
                starts_on=today() - timedelta(days=20),
                frequency="daily",
                amount=amount,
            )
    start = threading.Barrier(2)

    def worker() -> SweepResult:
        try:
            start.wait(timeout=30)
            return sweep_all()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [f.result() for f in [pool.submit(worker) for _ in range(2)]]

    per_person = 3 * 21
    assert sum(r.recorded for r in results) == 3 * per_person
    for person in people:
        with tenant_scope(person.tenant_id):
            assert Entry.objects.filter(kind="outflow").count() == per_person
            assert Occurrence.objects.count() == per_person
            assert (
                Occurrence.objects.values("rule_id", "on").distinct().count()
                == per_person
            )
