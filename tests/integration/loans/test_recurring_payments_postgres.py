"""Two workers sweeping at once on PostgreSQL record each loan payment once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from modules.loans.application.use_cases import CreateLoan, create_loan
from modules.loans.domain.schedule import Method
from modules.loans.infrastructure.models import Loan, LoanPayment
from modules.loans.infrastructure.uow import unit_of_work
from modules.recurring.application.use_cases import SweepResult
from modules.recurring.infrastructure.sweep import sweep_all
from modules.shared.application.tenancy import tenant_scope
from modules.transactions.infrastructure.models import Entry
from tests.factories import UserFactory
from tests.integration.recurring.helpers import months_back, new_account, today

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_two_workers_at_once_record_each_loan_payment_once() -> None:
    year, month = months_back(today(), 6)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        bank = new_account(person.tenant_id, opening="50000.00")
        with tenant_scope(person.tenant_id):
            loan = create_loan(
                uow=unit_of_work(),
                command=CreateLoan(
                    name="Car loan",
                    currency="EUR",
                    principal="10000.00",
                    annual_rate="5",
                    term_months=24,
                    first_payment_on=today().replace(year=year, month=month, day=1),
                    method=Method.ANNUITY,
                    paid_from_id=bank.id,
                    interest_category_name="Interest",
                ),
            )
        Loan.all_tenants.filter(id=loan.id).update(recurring_payments=True)
    start = threading.Barrier(2)

    def worker() -> SweepResult:
        try:
            start.wait(timeout=30)
            return sweep_all()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [f.result() for f in [pool.submit(worker) for _ in range(2)]]

    due = 7  # the first of each of the last six months and of this one
    assert sum(r.by_others for r in results) == 3 * due
    for person in people:
        with tenant_scope(person.tenant_id):
            assert LoanPayment.objects.count() == due
            assert Entry.objects.filter(description="Car loan").count() == due
