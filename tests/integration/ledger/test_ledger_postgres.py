"""PostgreSQL as the ledger's second wall: append-only rows, entries that balance at
commit, postings that agree with their account, and many writers at once."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Sum

from modules.accounts.api import unit_of_work as accounts_uow
from modules.accounts.application.use_cases import OpenAccount, open_account
from modules.accounts.domain.accounts import Account, AccountKind
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.errors import ValidationError
from modules.shared.infrastructure.database import as_owner
from modules.transactions.api import unit_of_work as ledger_uow
from modules.transactions.application.use_cases import (
    RecordFlow,
    RecordTransfer,
    adjust_balance,
    record_transaction,
    reverse_transaction,
)
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure.models import Category, Entry, Posting
from modules.transactions.infrastructure.stores import raw_balances
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ON = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def new_account(
    tenant_id: uuid.UUID,
    *,
    currency: str = "EUR",
    kind: AccountKind = AccountKind.CHECKING,
    opening: str | None = None,
) -> Account:
    with tenant_scope(tenant_id):
        return open_account(
            uow=accounts_uow(),
            command=OpenAccount(
                tenant_id=tenant_id,
                name=f"{kind} {currency}",
                kind=kind,
                currency=currency,
                opened_on=ON,
                opening_balance=opening,
            ),
        )


def spend(tenant_id: uuid.UUID, account: Account, amount: str) -> uuid.UUID:
    with tenant_scope(tenant_id):
        return record_transaction(
            uow=ledger_uow(),
            command=RecordFlow(
                direction=EntryKind.OUTFLOW,
                account_id=account.id,
                amount=amount,
                on=ON,
            ),
        )


def execute(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def in_one_transaction(*statements: tuple[str, list[Any]]) -> list[int]:
    with transaction.atomic():
        return [execute(sql, params) for sql, params in statements]


def postings_of(entry_id: uuid.UUID) -> list[tuple[uuid.UUID | None, int]]:
    rows = Posting.all_tenants.filter(entry_id=entry_id).order_by("amount_minor")
    return list(rows.values_list("account_id", "amount_minor"))


# Append-only

REFUSED_CHANGES = [
    "UPDATE transactions_entry SET payee = 'changed' WHERE id = %s",
    "UPDATE transactions_entry SET occurred_on = occurred_on + 1 WHERE id = %s",
    "DELETE FROM transactions_entry WHERE id = %s",
    "UPDATE transactions_posting SET amount_minor = amount_minor * 2 WHERE entry_id = %s",
    "UPDATE transactions_posting SET account_id = NULL, counterpart = 'income'"
    " WHERE entry_id = %s AND account_id IS NOT NULL",
    "DELETE FROM transactions_posting WHERE entry_id = %s",
]


@pytest.mark.parametrize("sql", REFUSED_CHANGES)
def test_the_database_refuses_to_change_ledger_rows(sql: str) -> None:
    member = UserFactory()
    account = new_account(member.tenant_id, opening="10.00")
    entry_id = spend(member.tenant_id, account, "1.25")

    with pytest.raises(DatabaseError, match="permission denied"):
        in_one_transaction((sql, [entry_id]))
    with as_owner(), pytest.raises(IntegrityError, match="append-only"):
        in_one_transaction((sql, [entry_id]))

    assert postings_of(entry_id) == [(account.id, -125), (None, 125)]
    assert Entry.all_tenants.get(id=entry_id).payee == ""


def test_bulk_orm_writes_meet_the_trigger_too() -> None:
    """`QuerySet.update` and `.delete` skip the models' own guard; the app's role may
    not run them, and the trigger holds for the owner."""
    member = UserFactory()
    account = new_account(member.tenant_id, opening="10.00")
    entry_id = spend(member.tenant_id, account, "1.25")
    with tenant_scope(member.tenant_id), as_owner():
        postings = Posting.objects.filter(entry_id=entry_id)
        with pytest.raises(IntegrityError), transaction.atomic():
            postings.update(amount_minor=-1)
        with pytest.raises(IntegrityError), transaction.atomic():
            postings.delete()
        with pytest.raises(IntegrityError), transaction.atomic():
            Entry.objects.filter(id=entry_id).update(description="edited")
    assert postings_of(entry_id) == [(account.id, -125), (None, 125)]


def test_no_session_setting_opens_the_append_only_wall() -> None:
    """The old `finance.erasure` switch, which any role could set, opens nothing,
    for the app's role or the owner: only the erasure of a closed account deletes
    ledger rows (ADR 0020)."""
    member = UserFactory()
    account = new_account(member.tenant_id, opening="10.00")
    entry_id = spend(member.tenant_id, account, "1.25")
    for statement in (
        "DELETE FROM transactions_posting WHERE entry_id = %s",
        "UPDATE transactions_entry SET payee = 'erased' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            in_one_transaction(
                ("SET LOCAL finance.erasure = 'on'", []), (statement, [entry_id])
            )
        with as_owner(), pytest.raises(IntegrityError, match="append-only"):
            in_one_transaction(
                ("SET LOCAL finance.erasure = 'on'", []), (statement, [entry_id])
            )
    assert postings_of(entry_id) == [(account.id, -125), (None, 125)]


# Balanced at commit

Line = tuple[Account | None, str, int]


def hand_written_entry(
    tenant_id: uuid.UUID,
    lines: list[Line],
    *,
    posting_tenant_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Insert an entry and its postings row by row, bypassing the domain."""
    entry = Entry.all_tenants.create(
        tenant_id=tenant_id, kind=EntryKind.INFLOW, occurred_on=ON
    )
    for account, currency, minor in lines:
        Posting.all_tenants.create(
            tenant_id=posting_tenant_id or tenant_id,
            entry=entry,
            account_id=account.id if account else None,
            counterpart="" if account else "income",
            currency=currency,
            amount_minor=minor,
            occurred_on=ON,
        )
    return entry.id


def commit_entry(
    tenant_id: uuid.UUID, lines: list[Line], written: list[uuid.UUID], **options: Any
) -> None:
    """One transaction; `written` shows how far it got before the database objected."""
    with transaction.atomic():
        written.append(hand_written_entry(tenant_id, lines, **options))


def test_a_balanced_entry_written_row_by_row_commits() -> None:
    member = UserFactory()
    account = new_account(member.tenant_id)
    with transaction.atomic():
        entry_id = hand_written_entry(
            member.tenant_id, [(account, "EUR", 700), (None, "EUR", -300)]
        )
        # Still unbalanced here: the check waits for COMMIT.
        Posting.all_tenants.create(
            tenant_id=member.tenant_id,
            entry_id=entry_id,
            counterpart="income",
            currency="EUR",
            amount_minor=-400,
            occurred_on=ON,
        )
    assert Posting.all_tenants.filter(entry_id=entry_id).count() == 3


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("mine", "EUR", 100), ("income", "EUR", -99)], "does not balance"),
        (
            [("mine", "EUR", 100), ("income", "EUR", -100), ("income", "USD", 5)],
            "does not balance",
        ),
        ([("mine", "EUR", 100), ("income", "USD", -100)], "does not balance"),
        ([("mine", "EUR", 100)], "fewer than two postings"),
        ([], "fewer than two postings"),
    ],
    ids=["off-by-one", "stray-currency", "two-currencies", "one-posting", "no-posting"],
)
def test_an_entry_that_does_not_balance_fails_at_commit(
    lines: list[tuple[str, str, int]], message: str
) -> None:
    member = UserFactory()
    account = new_account(member.tenant_id)
    rows: list[Line] = [
        (account if side == "mine" else None, currency, minor)
        for side, currency, minor in lines
    ]
    written: list[uuid.UUID] = []

    with pytest.raises(IntegrityError, match=message):
        commit_entry(member.tenant_id, rows, written)

    assert len(written) == 1, "every row is accepted until COMMIT"
    assert not Entry.all_tenants.filter(id=written[0]).exists()
    assert not Posting.all_tenants.filter(entry_id=written[0]).exists()


def test_a_posting_in_another_currency_than_its_account_is_refused() -> None:
    member = UserFactory()
    euros = new_account(member.tenant_id)
    written: list[uuid.UUID] = []
    with pytest.raises(IntegrityError, match="tenant or currency"):
        commit_entry(
            member.tenant_id, [(euros, "USD", 100), (None, "USD", -100)], written
        )
    assert len(written) == 1, "checked at COMMIT, so one statement can write it all"
    assert not Entry.all_tenants.filter(id=written[0]).exists()
    assert not Posting.all_tenants.filter(account_id=euros.id).exists()


def test_a_posting_on_another_tenants_account_is_refused() -> None:
    member, stranger = UserFactory(), UserFactory()
    theirs = new_account(stranger.tenant_id)
    written: list[uuid.UUID] = []
    with pytest.raises(IntegrityError, match="account_id belongs to another tenant"):
        commit_entry(
            member.tenant_id, [(theirs, "EUR", 100), (None, "EUR", -100)], written
        )
    assert len(written) == 1  # checked at COMMIT
    assert not Posting.all_tenants.filter(account_id=theirs.id).exists()


def test_a_posting_of_another_tenant_than_its_entry_is_refused() -> None:
    member, stranger = UserFactory(), UserFactory()
    written: list[uuid.UUID] = []
    with pytest.raises(IntegrityError, match="entry_id belongs to another tenant"):
        commit_entry(
            member.tenant_id,
            [(None, "EUR", 5), (None, "EUR", -5)],
            written,
            posting_tenant_id=stranger.tenant_id,
        )
    assert len(written) == 1  # checked at COMMIT
    assert not Entry.all_tenants.filter(id=written[0]).exists()


def commit_counterpart_entry(
    tenant_id: uuid.UUID,
    lines: list[tuple[str, int, Category | None]],
    *,
    kind: EntryKind = EntryKind.OUTFLOW,
    reverses: uuid.UUID | None = None,
) -> None:
    """One transaction: an entry of counterpart lines only, bypassing the domain."""
    with transaction.atomic():
        entry = Entry.all_tenants.create(
            tenant_id=tenant_id, kind=kind, occurred_on=ON, reverses_id=reverses
        )
        for counterpart, minor, category in lines:
            Posting.all_tenants.create(
                tenant_id=tenant_id,
                entry=entry,
                counterpart=counterpart,
                category=category,
                currency="EUR",
                amount_minor=minor,
                occurred_on=ON,
            )


def test_a_posting_with_another_tenants_category_is_refused() -> None:
    member, stranger = UserFactory(), UserFactory()
    theirs = Category.all_tenants.filter(tenant_id=stranger.tenant_id).first()
    assert theirs is not None
    lines = [("income", 5, None), ("expense", -5, theirs)]
    with pytest.raises(IntegrityError, match="category_id belongs to another tenant"):
        commit_counterpart_entry(member.tenant_id, lines)
    assert not Entry.all_tenants.filter(tenant_id=member.tenant_id).exists()


def test_a_reversal_of_another_tenants_entry_is_refused() -> None:
    member, stranger = UserFactory(), UserFactory()
    theirs: list[uuid.UUID] = []
    commit_entry(
        stranger.tenant_id,
        [(new_account(stranger.tenant_id), "EUR", 7), (None, "EUR", -7)],
        theirs,
    )
    lines: list[tuple[str, int, Category | None]] = [
        ("income", 5, None),
        ("income", -5, None),
    ]
    with pytest.raises(IntegrityError, match="reverses_id belongs to another tenant"):
        commit_counterpart_entry(
            member.tenant_id, lines, kind=EntryKind.REVERSAL, reverses=theirs[0]
        )
    assert not Entry.all_tenants.filter(tenant_id=member.tenant_id).exists()


# Many writers at once

WRITERS = 20
OPERATIONS = 30


@dataclass
class Outcome:
    """What the writers did, collected across threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    # entry id -> account deltas known in advance (None: an adjustment's, read later)
    made: dict[uuid.UUID, dict[uuid.UUID, int] | None] = field(default_factory=dict)
    reversals: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    adjusted: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    refusals: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    pool: list[uuid.UUID] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def pick(self, rng: random.Random) -> uuid.UUID | None:
        with self.lock:
            return rng.choice(self.pool) if self.pool else None

    def record(self, entry_id: uuid.UUID, deltas: dict[uuid.UUID, int] | None) -> None:
        with self.lock:
            self.made[entry_id] = deltas
            self.pool.append(entry_id)


@contextmanager
def own_connection() -> Iterator[None]:
    try:
        yield
    finally:
        connection.close()


def one_operation(
    rng: random.Random, accounts: list[Account], outcome: Outcome
) -> None:
    roll = rng.random()
    if roll < 0.15 and (original := outcome.pick(rng)) is not None:
        reversal_id = reverse_transaction(uow=ledger_uow(), entry_id=original)
        with outcome.lock:
            outcome.reversals[reversal_id] = original
        outcome.record(reversal_id, None)
    elif roll < 0.25:
        account = rng.choice(accounts)
        target = rng.randint(-100_000, 100_000)
        entry_id = adjust_balance(
            uow=ledger_uow(),
            account_id=account.id,
            balance=_euros(target),
            on=ON,
        )
        with outcome.lock:
            outcome.adjusted[entry_id] = account.id
        outcome.record(entry_id, None)
    else:
        source, target = rng.sample(accounts, 2)
        cents = rng.randint(1, 50_000)
        entry_id = record_transaction(
            uow=ledger_uow(),
            command=RecordTransfer(
                from_account_id=source.id,
                to_account_id=target.id,
                amount=_euros(cents),
                on=ON,
            ),
        )
        outcome.record(entry_id, {source.id: -cents, target.id: cents})


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def writer(
    seed: int,
    tenant_id: uuid.UUID,
    accounts: list[Account],
    outcome: Outcome,
    start: threading.Barrier,
) -> None:
    rng = random.Random(seed)
    with own_connection():
        start.wait(timeout=30)
        with tenant_scope(tenant_id):
            for _ in range(OPERATIONS):
                if outcome.stop.is_set():
                    return
                try:
                    one_operation(rng, accounts, outcome)
                except ValidationError as error:
                    with outcome.lock:
                        outcome.refusals[refusal(error)] += 1
                except Exception as error:  # every other one is a bug: stop early
                    outcome.stop.set()
                    with outcome.lock:
                        first_line = str(error).splitlines()[0]
                        outcome.errors[f"{type(error).__name__}: {first_line}"] += 1
                finally:
                    # Like a request: give the pooled connection back after each write
                    # (20 writers share a pool of 16).
                    connection.close()


def refusal(error: ValidationError) -> str:
    return error.details[0].code if error.details else error.code


def expected_deltas(
    entry_id: uuid.UUID, outcome: Outcome, cache: dict[uuid.UUID, dict[uuid.UUID, int]]
) -> dict[uuid.UUID, int]:
    """Deltas of an entry from what its writer asked for, not from its postings;
    only an adjustment's size depends on the moment, so that one is read back."""
    if entry_id in cache:
        return cache[entry_id]
    if entry_id in outcome.reversals:
        original = expected_deltas(outcome.reversals[entry_id], outcome, cache)
        deltas = {account: -delta for account, delta in original.items()}
    elif entry_id in outcome.adjusted:
        lines = postings_of(entry_id)
        own = [(account, minor) for account, minor in lines if account is not None]
        assert own and {account for account, _ in own} == {outcome.adjusted[entry_id]}
        deltas = {outcome.adjusted[entry_id]: sum(minor for _, minor in own)}
    else:
        made = outcome.made[entry_id]
        assert made is not None
        deltas = made
    cache[entry_id] = deltas
    return deltas


@pytest.mark.timeout(120)
def test_many_writers_keep_every_invariant() -> None:
    member = UserFactory()
    tenant_id = member.tenant_id
    kinds = [AccountKind.CHECKING] * 3 + [AccountKind.SAVINGS, AccountKind.CREDIT_CARD]
    accounts = [new_account(tenant_id, kind=kind, opening="1000.00") for kind in kinds]
    outcome = Outcome()
    with tenant_scope(tenant_id):
        for entry in Entry.objects.all():
            (line,) = [p for p in entry.postings.all() if p.account_id]
            outcome.record(entry.id, {line.account_id: line.amount_minor})
    openings = len(outcome.made)
    assert openings == len(accounts)
    start = threading.Barrier(WRITERS)

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [
            pool.submit(writer, seed, tenant_id, accounts, outcome, start)
            for seed in range(WRITERS)
        ]
        for future in futures:
            future.result()
    elapsed = time.monotonic() - began

    assert outcome.errors == {}
    assert set(outcome.refusals) <= {
        "ALREADY_REVERSED",
        "CANNOT_REVERSE_REVERSAL",
        "no_difference",  # an adjustment to the balance the account already has
    }
    successes = len(outcome.made) - openings
    assert successes + sum(outcome.refusals.values()) == WRITERS * OPERATIONS
    assert outcome.reversals, "the mix should reverse something"
    assert elapsed < 60

    with tenant_scope(tenant_id):
        assert Entry.objects.count() == openings + successes
        assert set(Entry.objects.values_list("id", flat=True)) == set(outcome.made)
        unbalanced = (
            Posting.objects.values("entry_id", "currency")
            .annotate(total=Sum("amount_minor"))
            .exclude(total=0)
        )
        assert list(unbalanced) == []
        assert not Entry.objects.annotate(n=Count("postings")).filter(n__lt=2).exists()
        totals = Posting.objects.values("currency").annotate(total=Sum("amount_minor"))
        assert {row["currency"]: row["total"] for row in totals} == {"EUR": 0}
        reversed_ids = list(
            Entry.objects.filter(reverses__isnull=False).values_list(
                "reverses_id", flat=True
            )
        )
        assert sorted(reversed_ids) == sorted(outcome.reversals.values())
        assert len(set(reversed_ids)) == len(reversed_ids)
        stored = raw_balances(a.id for a in accounts)
        summed: Counter[uuid.UUID] = Counter()
        for account_id, minor in Posting.objects.filter(
            account__isnull=False
        ).values_list("account_id", "amount_minor"):
            summed[account_id] += minor

    cache: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
    expected: Counter[uuid.UUID] = Counter()
    for entry_id in outcome.made:
        expected.update(expected_deltas(entry_id, outcome, cache))
    assert stored == dict(summed)
    assert stored == {a.id: expected[a.id] for a in accounts}


def race[T](work: Callable[[], T], runners: int = 20) -> list[T | ValidationError]:
    """Start `runners` threads at once on `work`; a refusal is a result, not a crash."""
    start = threading.Barrier(runners)

    def run(_: int) -> T | ValidationError:
        with own_connection():
            start.wait(timeout=30)
            try:
                return work()
            except ValidationError as error:
                return error

    with ThreadPoolExecutor(max_workers=runners) as pool:
        return list(pool.map(run, range(runners)))


def test_racing_reversals_of_one_entry_make_one_reversal() -> None:
    member = UserFactory()
    account = new_account(member.tenant_id, opening="10.00")
    entry_id = spend(member.tenant_id, account, "2.50")

    def reverse() -> uuid.UUID:
        with tenant_scope(member.tenant_id):
            return reverse_transaction(uow=ledger_uow(), entry_id=entry_id)

    results = race(reverse)

    made = [r for r in results if isinstance(r, uuid.UUID)]
    refused = [refusal(r) for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1
    assert refused == ["ALREADY_REVERSED"] * (len(results) - 1)
    assert Entry.all_tenants.get(reverses_id=entry_id).id == made[0]
    with tenant_scope(member.tenant_id):
        assert raw_balances([account.id]) == {account.id: 1000}


def test_racing_adjustments_to_one_target_make_one_entry() -> None:
    """The account lock makes each adjustment read the balance the last one left."""
    member = UserFactory()
    card = new_account(member.tenant_id, kind=AccountKind.CREDIT_CARD, opening="80.00")

    def adjust() -> uuid.UUID:
        with tenant_scope(member.tenant_id):
            return adjust_balance(
                uow=ledger_uow(), account_id=card.id, balance="123.45", on=ON
            )

    results = race(adjust)

    made = [r for r in results if isinstance(r, uuid.UUID)]
    refused = [refusal(r) for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1
    assert refused == ["no_difference"] * (len(results) - 1)
    assert postings_of(made[0]) == [(card.id, -4345), (None, 4345)]
    with tenant_scope(member.tenant_id):
        assert raw_balances([card.id]) == {card.id: -12345}
