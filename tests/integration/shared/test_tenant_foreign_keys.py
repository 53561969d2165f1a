"""PostgreSQL refuses a foreign key from one tenant's row to another tenant's row
(ADR 0022): one trigger per foreign key between tenant-owned tables, checked at
commit, whoever writes the row, the owner included."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from modules.budgets.infrastructure.models import Budget
from modules.shared.infrastructure.database import (
    TENANT_TRIGGER_FUNCTION,
    as_owner,
    guard_tenant_foreign_keys,
    tenant_foreign_keys,
)
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure.models import Category, Entry, Posting
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ON = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def category_of(tenant_id: uuid.UUID) -> Category:
    category = Category.all_tenants.filter(tenant_id=tenant_id).first()
    assert category is not None
    return category


def entry_of(tenant_id: uuid.UUID, *, reverses: uuid.UUID | None = None) -> Entry:
    """A balanced entry of counterpart lines, written row by row."""
    kind = EntryKind.REVERSAL if reverses else EntryKind.OUTFLOW
    entry = Entry.all_tenants.create(
        tenant_id=tenant_id, kind=kind, occurred_on=ON, reverses_id=reverses
    )
    for counterpart, minor in (("income", 5), ("expense", -5)):
        Posting.all_tenants.create(
            tenant_id=tenant_id,
            entry=entry,
            counterpart=counterpart,
            currency="EUR",
            amount_minor=minor,
            occurred_on=ON,
        )
    return entry


def posting_with_category(tenant_id: uuid.UUID, category: Category) -> None:
    entry = Entry.all_tenants.create(
        tenant_id=tenant_id, kind=EntryKind.OUTFLOW, occurred_on=ON
    )
    for counterpart, minor, its_category in (
        ("income", 5, None),
        ("expense", -5, category),
    ):
        Posting.all_tenants.create(
            tenant_id=tenant_id,
            entry=entry,
            counterpart=counterpart,
            category=its_category,
            currency="EUR",
            amount_minor=minor,
            occurred_on=ON,
        )


def reversal_of(tenant_id: uuid.UUID, target_tenant_id: uuid.UUID) -> None:
    with as_owner(), transaction.atomic():
        reversed_entry = entry_of(target_tenant_id)
    entry_of(tenant_id, reverses=reversed_entry.id)


def budget_on(tenant_id: uuid.UUID, category: Category) -> None:
    Budget.all_tenants.create(
        tenant_id=tenant_id,
        name="Food",
        category=category,
        period="month",
        currency="EUR",
        limit_minor=10_000,
        starts_on=ON,
    )


Write = Callable[[uuid.UUID, uuid.UUID], None]

WRITES: dict[str, tuple[str, Write]] = {
    "posting-category": (
        "transactions_posting category_id",
        lambda tenant, other: posting_with_category(tenant, category_of(other)),
    ),
    "entry-reverses": ("transactions_entry reverses_id", reversal_of),
    "budget-category": (
        "budgets_budget category_id",
        lambda tenant, other: budget_on(tenant, category_of(other)),
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_row_pointing_at_another_tenants_row_is_refused_even_for_the_owner(
    write: tuple[str, Write],
) -> None:
    message, writes = write
    member, stranger = UserFactory(), UserFactory()
    with (
        pytest.raises(IntegrityError, match=f"{message} belongs to another tenant"),
        as_owner(),
        transaction.atomic(),
    ):
        writes(member.tenant_id, stranger.tenant_id)
    assert not Entry.all_tenants.filter(tenant_id=member.tenant_id).exists()
    assert not Budget.all_tenants.filter(tenant_id=member.tenant_id).exists()


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_row_pointing_at_its_own_tenants_row_commits(
    write: tuple[str, Write],
) -> None:
    _, writes = write
    member = UserFactory()
    with as_owner(), transaction.atomic():
        writes(member.tenant_id, member.tenant_id)
    written = (
        Entry.all_tenants.filter(tenant_id=member.tenant_id).exists()
        or Budget.all_tenants.filter(tenant_id=member.tenant_id).exists()
    )
    assert written


def test_moving_a_row_to_another_tenants_target_is_refused() -> None:
    """UPDATE OF the column is checked too, not only INSERT."""
    member, stranger = UserFactory(), UserFactory()
    with transaction.atomic():
        budget_on(member.tenant_id, category_of(member.tenant_id))
    theirs = category_of(stranger.tenant_id)
    with (
        pytest.raises(IntegrityError, match="budgets_budget category_id"),
        transaction.atomic(),
    ):
        Budget.all_tenants.filter(tenant_id=member.tenant_id).update(category=theirs)


def database_tenant_foreign_keys() -> set[tuple[str, str]]:
    """From the catalogue, not the app registry: every single-column foreign key
    from a table with a `tenant_id` to another such table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND a.attname <> 'tenant_id'
              AND EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.conrelid
                          AND s.attname = 'tenant_id' AND NOT s.attisdropped)
              AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.confrelid
                          AND t.attname = 'tenant_id' AND NOT t.attisdropped)
            """
        )
        return set(cursor.fetchall())


def installed_triggers() -> dict[tuple[str, str], tuple[bool, list[str]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tgrelid::regclass::text, tgname, tgdeferrable AND tginitdeferred,
                   encode(tgargs, 'escape')
            FROM pg_trigger WHERE tgfoid = %s::regproc
            """,
            [TENANT_TRIGGER_FUNCTION],
        )
        return {
            (table, name): (deferred, arguments.split("\\000")[:-1])
            for table, name, deferred, arguments in cursor.fetchall()
        }


def test_every_foreign_key_between_tenant_tables_has_its_trigger() -> None:
    triggers = installed_triggers()  # as `migrate` left them
    keys = tenant_foreign_keys()
    assert {(key.table, key.column) for key in keys} == database_tenant_foreign_keys()
    assert {("budgets_budget", "category_id")} <= {(k.table, k.column) for k in keys}
    for key in keys:
        assert triggers.get((key.table, key.trigger)) == (True, key.arguments), key
    assert len(triggers) == len(keys), "no trigger left for a foreign key gone"


def test_making_the_triggers_again_changes_nothing() -> None:
    """What a second `migrate` does: idempotent, no duplicates."""
    before = installed_triggers()
    with as_owner():
        guard_tenant_foreign_keys()
    assert installed_triggers() == before
