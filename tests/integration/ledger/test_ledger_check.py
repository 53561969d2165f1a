"""`manage.py ledger_check`: silent on a sound ledger, and names the tenant, rule and
row of every broken invariant (never the content) when someone has tampered with it."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from modules.accounts.api import unit_of_work as accounts_uow
from modules.accounts.application.use_cases import OpenAccount, open_account
from modules.accounts.domain.accounts import Account, AccountKind
from modules.accounts.infrastructure.models import Account as AccountRow
from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure.database import as_owner
from modules.transactions.api import unit_of_work as ledger_uow
from modules.transactions.application.use_cases import (
    RecordFlow,
    RecordTransfer,
    record_transaction,
    reverse_transaction,
)
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure.models import Entry, MonthlyTotal, Posting
from modules.transactions.infrastructure.stores import raw_balances
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ON = date(2026, 11, 20)
SECRET_PAYEE = "Dr. Confidential"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def tampering() -> Iterator[None]:
    """A committed change the application never makes; on PostgreSQL only a
    superuser switching triggers off (replication mode) gets it past them, not the
    app's role (ADR 0022)."""
    with as_owner(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        yield


def new_account(tenant_id: uuid.UUID, currency: str = "EUR") -> Account:
    with tenant_scope(tenant_id):
        return open_account(
            uow=accounts_uow(),
            command=OpenAccount(
                tenant_id=tenant_id,
                name="Everyday",
                kind=AccountKind.CHECKING,
                currency=currency,
                opened_on=ON,
                opening_balance="100.00",
            ),
        )


def spend(tenant_id: uuid.UUID, account: Account) -> uuid.UUID:
    with tenant_scope(tenant_id):
        return record_transaction(
            uow=ledger_uow(),
            command=RecordFlow(
                direction=EntryKind.OUTFLOW,
                account_id=account.id,
                amount="42.17",
                on=ON,
                text=EntryText(payee=SECRET_PAYEE),
            ),
        )


def ledger_check(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger_check", *args, stdout=out)
    return out.getvalue()


def failing_check(*args: str) -> tuple[str, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("ledger_check", *args, stdout=out)
    return out.getvalue(), str(error.value)


def reported(output: str) -> set[tuple[str, ...]]:
    """Each line of a failing check: tenant id, rule, subject."""
    return {tuple(line.split()) for line in output.splitlines() if line.strip()}


def test_a_sound_ledger_passes() -> None:
    member = UserFactory()
    euros, dollars = new_account(member.tenant_id), new_account(member.tenant_id, "USD")
    spent = spend(member.tenant_id, euros)
    with tenant_scope(member.tenant_id):
        reverse_transaction(uow=ledger_uow(), entry_id=spent)
        record_transaction(
            uow=ledger_uow(),
            command=RecordTransfer(
                from_account_id=euros.id,
                to_account_id=dollars.id,
                amount="10.00",
                to_amount="10.80",
                on=ON,
            ),
        )
    assert "Ledger OK" in ledger_check()
    assert "Ledger OK" in ledger_check("--tenant", str(member.tenant_id))


def test_an_unbalanced_entry_is_reported_by_tenant_and_id_only() -> None:
    member = UserFactory()
    account = new_account(member.tenant_id)
    spent = spend(member.tenant_id, account)
    with tampering():
        Posting.all_tenants.filter(entry_id=spent, account__isnull=False).update(
            amount_minor=-4216
        )

    output, error = failing_check()

    tenant = str(member.tenant_id)
    assert reported(output) == {
        (tenant, "entry_balances", str(spent)),
        (tenant, "tenant_sums_to_zero", "EUR"),
        # The tampered posting no longer matches the read model either.
        (tenant, "monthly_totals", f"account:{account.id}/EUR/{ON:%Y-%m}"),
        (tenant, "monthly_totals", f"account:{account.id}/EUR/all"),
    }
    assert error == "4 ledger discrepancies found"
    assert SECRET_PAYEE not in output
    assert "42.17" not in output


def test_an_entry_with_one_posting_is_reported() -> None:
    member = UserFactory()
    account = new_account(member.tenant_id)
    spent = spend(member.tenant_id, account)
    with tampering():
        Posting.all_tenants.filter(entry_id=spent, account__isnull=True).delete()

    output, _ = failing_check()

    rules = {(rule, subject) for _, rule, subject in reported(output)}
    assert ("two_postings", str(spent)) in rules
    assert ("entry_balances", str(spent)) in rules


def test_a_posting_in_another_currency_than_its_account_is_reported() -> None:
    member = UserFactory()
    account = new_account(member.tenant_id)
    spend(member.tenant_id, account)
    AccountRow.all_tenants.filter(id=account.id).update(currency="USD")

    output, error = failing_check()

    on_account = {
        str(pk)
        for pk in Posting.all_tenants.filter(account_id=account.id).values_list(
            "pk", flat=True
        )
    }
    assert reported(output) == {
        (str(member.tenant_id), "posting_currency", pk) for pk in on_account
    }
    assert error == "2 ledger discrepancies found"


def test_a_posting_filed_under_another_tenant_is_reported() -> None:
    member, stranger = UserFactory(), UserFactory()
    account = new_account(member.tenant_id)
    spent = spend(member.tenant_id, account)
    line = Posting.all_tenants.get(entry_id=spent, account__isnull=True)
    with tampering():
        Posting.all_tenants.filter(pk=line.pk).update(tenant_id=stranger.tenant_id)

    output, _ = failing_check()

    found = reported(output)
    assert (str(stranger.tenant_id), "posting_tenant", str(line.pk)) in found
    assert (str(member.tenant_id), "entry_balances", str(spent)) in found


def test_a_reversal_filed_under_another_tenant_is_reported() -> None:
    member, stranger = UserFactory(), UserFactory()
    account = new_account(member.tenant_id)
    spent = spend(member.tenant_id, account)
    with tenant_scope(member.tenant_id):
        reversal = reverse_transaction(uow=ledger_uow(), entry_id=spent)
    with tampering():
        Entry.all_tenants.filter(id=reversal).update(tenant_id=stranger.tenant_id)

    output, _ = failing_check()

    found = reported(output)
    assert (str(stranger.tenant_id), "reversal_tenant", str(reversal)) in found
    assert {rule for _, rule, _ in found} >= {"reversal_tenant", "posting_tenant"}


def test_one_tenant_can_be_checked_alone() -> None:
    broken, sound = UserFactory(), UserFactory()
    spent = spend(broken.tenant_id, new_account(broken.tenant_id))
    spend(sound.tenant_id, new_account(sound.tenant_id))
    with tampering():
        Posting.all_tenants.filter(entry_id=spent, account__isnull=True).update(
            amount_minor=1
        )

    assert "Ledger OK" in ledger_check("--tenant", str(sound.tenant_id))
    output, _ = failing_check("--tenant", str(broken.tenant_id))
    assert {tenant for tenant, _, _ in reported(output)} == {str(broken.tenant_id)}
    everyone, _ = failing_check()
    assert reported(everyone) == reported(output)


def test_an_unknown_tenant_argument_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("ledger_check", "--tenant", "not-a-uuid", stdout=io.StringIO())


def test_monthly_totals_that_drift_from_the_postings_are_reported_then_rebuilt() -> (
    None
):
    member = UserFactory()
    account = new_account(member.tenant_id)
    spend(member.tenant_id, account)
    MonthlyTotal.all_tenants.filter(account_id=account.id).update(amount_minor=1)
    MonthlyTotal.all_tenants.filter(counterpart="expense").delete()

    output, error = failing_check()

    tenant = str(member.tenant_id)
    assert {(t, rule) for t, rule, _ in reported(output)} == {
        (tenant, "monthly_totals")
    }
    assert error == "3 ledger discrepancies found"  # the month, all time, expense

    call_command(
        "rebuild_rollups", "--tenant", str(member.tenant_id), stdout=io.StringIO()
    )
    call_command("ledger_check", stdout=io.StringIO())  # passes again
    with tenant_scope(member.tenant_id):
        assert raw_balances([account.id]) == {account.id: 10000 - 4217}


def test_balances_come_from_the_monthly_totals_in_a_constant_number_of_rows() -> None:
    member = UserFactory()
    account = new_account(member.tenant_id)
    for _ in range(5):
        spend(member.tenant_id, account)
    with tenant_scope(member.tenant_id):
        rows = MonthlyTotal.objects.filter(account_id=account.id)
        # One row for the month and one for all time, however many postings.
        assert rows.count() == 2
        assert {row.postings for row in rows} == {6}  # the opening and five spends
        assert raw_balances([account.id]) == {account.id: 10000 - 5 * 4217}


def test_rebuilding_every_tenant_also_removes_totals_with_no_postings() -> None:
    member = UserFactory()  # a tenant with no postings at all
    MonthlyTotal.all_tenants.create(
        tenant_id=member.tenant_id,
        line="expense:",
        month=ON.replace(day=1),
        currency="EUR",
        counterpart="expense",
        amount_minor=5,
        postings=1,
    )
    failing_check()
    call_command("rebuild_rollups", stdout=io.StringIO())
    assert not MonthlyTotal.all_tenants.filter(tenant_id=member.tenant_id).exists()
    call_command("ledger_check", stdout=io.StringIO())
