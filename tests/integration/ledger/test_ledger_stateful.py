"""The real use cases against the real database, driven by random sequences of
operations, checked after every step against a model of the books kept in Python."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import hypothesis
import pytest
from django.db.models import Count, F, Sum
from hypothesis import HealthCheck
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from modules.accounts.api import unit_of_work as accounts_uow
from modules.accounts.application.use_cases import (
    OpenAccount,
    UpdateAccount,
    open_account,
    update_account,
)
from modules.accounts.domain.accounts import AccountKind
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money
from modules.transactions.api import unit_of_work as ledger_uow
from modules.transactions.application.use_cases import (
    RecordFlow,
    RecordTransfer,
    adjust_balance,
    record_transaction,
    reverse_transaction,
)
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure import rollups
from modules.transactions.infrastructure.models import Entry, Posting
from modules.transactions.infrastructure.stores import raw_balances
from tests.factories import UserFactory

ON = date(2026, 11, 20)
CURRENCIES = ("EUR", "USD", "JPY", "KWD")
# Mostly euros, so that same-currency transfers find a partner.
currencies = st.sampled_from(CURRENCIES) | st.just("EUR")
KINDS = (
    AccountKind.CHECKING,
    AccountKind.SAVINGS,
    AccountKind.CREDIT_CARD,
    AccountKind.LOAN,
)
amounts = st.integers(min_value=1, max_value=10**9)
# Backdated across months and years, so the monthly totals of earlier months change.
days = st.dates(min_value=date(2024, 12, 1), max_value=date(2026, 11, 30))
signed_amounts = st.integers(min_value=-(10**9), max_value=10**9)


@dataclass
class BookAccount:
    id: uuid.UUID
    currency: str
    liability: bool
    raw: int = 0
    archived: bool = False

    def shown(self, raw: int) -> int:
        return -raw if self.liability else raw

    def text(self, minor: int) -> str:
        return Money.from_minor(minor, self.currency).to_string()


@dataclass
class BookEntry:
    id: uuid.UUID
    deltas: dict[uuid.UUID, int]
    is_reversal: bool = False
    reversed: bool = False


@dataclass
class Books:
    """What the ledger should say, in exact integers."""

    accounts: dict[uuid.UUID, BookAccount] = field(default_factory=dict)
    entries: dict[uuid.UUID, BookEntry] = field(default_factory=dict)

    def post(
        self, entry_id: uuid.UUID, deltas: dict[uuid.UUID, int], **flags: bool
    ) -> uuid.UUID:
        for account_id, delta in deltas.items():
            self.accounts[account_id].raw += delta
        self.entries[entry_id] = BookEntry(id=entry_id, deltas=deltas, **flags)
        return entry_id


def field_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    hypothesis.event("refused", error.value.details[0].field)
    return error.value.details[0].field


class LedgerMachine(RuleBasedStateMachine):
    accounts = Bundle("accounts")
    entries = Bundle("entries")

    @initialize()
    def new_tenant(self) -> None:
        """A fresh tenant per example: the database is not reset between examples."""
        self.tenant_id = UserFactory().tenant_id
        self.books = Books()
        self.openings: list[uuid.UUID] = []

    @contextmanager
    def scope(self) -> Iterator[None]:
        with tenant_scope(self.tenant_id):
            yield

    # Rules

    @rule(
        target=accounts,
        currency=currencies,
        kind=st.sampled_from(KINDS),
        opening=st.none() | signed_amounts,
    )
    def open(self, currency: str, kind: AccountKind, opening: int | None) -> Any:
        command = OpenAccount(
            tenant_id=self.tenant_id,
            name=f"{kind} {currency}",
            kind=kind,
            currency=currency,
            opened_on=ON,
            opening_balance=(
                None
                if opening is None
                else Money.from_minor(opening, currency).to_string()
            ),
        )
        with self.scope():
            created = open_account(uow=accounts_uow(), command=command)
            opening_entries = list(
                Entry.objects.filter(
                    kind=EntryKind.OPENING_BALANCE, postings__account_id=created.id
                ).values_list("id", flat=True)
            )
        account = BookAccount(
            id=created.id,
            currency=currency,
            liability=kind in (AccountKind.CREDIT_CARD, AccountKind.LOAN),
        )
        self.books.accounts[account.id] = account
        if not opening:
            assert opening_entries == []
            return account.id
        (entry_id,) = opening_entries
        self.books.post(entry_id, {account.id: account.shown(opening)})
        self.openings.append(entry_id)
        return account.id

    @rule(
        target=entries,
        account_id=accounts,
        minor=amounts,
        inflow=st.booleans(),
        on=days,
    )
    def flow(self, account_id: uuid.UUID, minor: int, inflow: bool, on: date) -> Any:
        account = self.books.accounts[account_id]
        command = RecordFlow(
            direction=EntryKind.INFLOW if inflow else EntryKind.OUTFLOW,
            account_id=account_id,
            amount=account.text(minor),
            on=on,
        )
        with self.scope():
            if account.archived:
                with pytest.raises(ValidationError) as error:
                    record_transaction(uow=ledger_uow(), command=command)
                assert field_of(error) == "account"
                return multiple()
            entry_id = record_transaction(uow=ledger_uow(), command=command)
        return self.books.post(entry_id, {account_id: minor if inflow else -minor})

    @precondition(lambda self: len(self.books.accounts) >= 2)
    @rule(
        target=entries,
        source_id=accounts,
        target_id=accounts,
        sent=amounts,
        received=amounts,
        misuse_to_amount=st.sampled_from([False, False, False, True]),
        on=days,
    )
    def transfer(
        self,
        source_id: uuid.UUID,
        target_id: uuid.UUID,
        sent: int,
        received: int,
        misuse_to_amount: bool,
        on: date,
    ) -> Any:
        source = self.books.accounts[source_id]
        target = self.books.accounts[target_id]
        cross = source.currency != target.currency
        # The received amount is required across currencies, refused if it differs
        # within one; `misuse_to_amount` leaves it out or puts it in the wrong case.
        give_to_amount = cross != misuse_to_amount
        command = RecordTransfer(
            from_account_id=source_id,
            to_account_id=target_id,
            amount=source.text(sent),
            to_amount=target.text(received) if give_to_amount else None,
            on=on,
        )
        refused = None
        if source_id == target_id or target.archived:
            refused = "to_account"
        elif source.archived:
            refused = "from_account"
        elif misuse_to_amount and (cross or sent != received):
            refused = "to_amount"
        with self.scope():
            if refused:
                with pytest.raises(ValidationError) as error:
                    record_transaction(uow=ledger_uow(), command=command)
                assert field_of(error) == refused
                return multiple()
            entry_id = record_transaction(uow=ledger_uow(), command=command)
        hypothesis.event("transfer", "across currencies" if cross else "one currency")
        return self.books.post(
            entry_id, {source_id: -sent, target_id: received if cross else sent}
        )

    @rule(target=entries, entry_id=entries)
    def reverse(self, entry_id: uuid.UUID) -> Any:
        original = self.books.entries[entry_id]
        with self.scope():
            if original.reversed or original.is_reversal:
                with pytest.raises(ValidationError) as error:
                    reverse_transaction(uow=ledger_uow(), entry_id=entry_id)
                expected = (
                    "ALREADY_REVERSED"
                    if original.reversed
                    else "CANNOT_REVERSE_REVERSAL"
                )
                assert error.value.code == expected
                hypothesis.event("refused", expected)
                return multiple()
            reversal_id = reverse_transaction(uow=ledger_uow(), entry_id=entry_id)
            assert Entry.objects.get(id=reversal_id).reverses_id == entry_id
        original.reversed = True
        mirrored = {account_id: -delta for account_id, delta in original.deltas.items()}
        return self.books.post(reversal_id, mirrored, is_reversal=True)

    @precondition(lambda self: self.openings)
    @rule(target=entries)
    def an_opening_entry(self) -> uuid.UUID:
        """Opening entries can be reversed like any other: offer them to `reverse`."""
        return self.openings.pop()

    @rule(target=entries, account_id=accounts, target_minor=st.none() | signed_amounts)
    def adjust(self, account_id: uuid.UUID, target_minor: int | None) -> Any:
        """`None` asks for the balance the account already has."""
        account = self.books.accounts[account_id]
        shown = account.shown(account.raw) if target_minor is None else target_minor
        wanted_raw = account.shown(shown)
        with self.scope():
            if account.archived or wanted_raw == account.raw:
                with pytest.raises(ValidationError) as error:
                    adjust_balance(
                        uow=ledger_uow(),
                        account_id=account_id,
                        balance=account.text(shown),
                        on=ON,
                    )
                assert field_of(error) == ("account" if account.archived else "balance")
                return multiple()
            entry_id = adjust_balance(
                uow=ledger_uow(),
                account_id=account_id,
                balance=account.text(shown),
                on=ON,
            )
        return self.books.post(entry_id, {account_id: wanted_raw - account.raw})

    @precondition(
        lambda self: (
            len(self.books.accounts) >= 3
            and not any(a.archived for a in self.books.accounts.values())
        )
    )
    @rule(account_id=accounts)
    def archive(self, account_id: uuid.UUID) -> None:
        with self.scope():
            update_account(
                uow=accounts_uow(),
                command=UpdateAccount(account_id=account_id, archived=True),
            )
        self.books.accounts[account_id].archived = True

    # Invariants, checked in SQL after every step

    @invariant()
    def every_entry_balances_per_currency(self) -> None:
        with self.scope():
            unbalanced = (
                Posting.objects.values("entry_id", "currency")
                .annotate(total=Sum("amount_minor"))
                .exclude(total=0)
            )
            assert list(unbalanced) == []
            thin = Entry.objects.annotate(lines=Count("postings")).filter(lines__lt=2)
            assert list(thin.values_list("id", flat=True)) == []

    @invariant()
    def balances_match_the_books(self) -> None:
        books = self.books.accounts
        with self.scope():
            stored = raw_balances(books)
        assert set(stored) <= set(books)
        assert {i: stored.get(i, 0) for i in books} == {
            i: a.raw for i, a in books.items()
        }

    @invariant()
    def the_monthly_totals_equal_the_postings(self) -> None:
        assert list(rollups.mismatches(self.tenant_id)) == []

    @invariant()
    def the_tenant_sums_to_zero_per_currency(self) -> None:
        with self.scope():
            totals = Posting.objects.values("currency").annotate(
                total=Sum("amount_minor")
            )
            assert {row["total"] for row in totals} <= {0}

    @invariant()
    def postings_use_their_account_currency(self) -> None:
        with self.scope():
            astray = Posting.objects.filter(account__isnull=False).exclude(
                currency=F("account__currency")
            )
            assert list(astray.values_list("id", flat=True)) == []

    @invariant()
    def every_entry_is_in_the_books(self) -> None:
        with self.scope():
            stored = Counter(Entry.objects.values_list("id", flat=True))
            reversals = set(
                Entry.objects.filter(kind=EntryKind.REVERSAL).values_list(
                    "id", flat=True
                )
            )
        assert stored == Counter(set(self.books.entries))
        assert reversals == {e.id for e in self.books.entries.values() if e.is_reversal}


@pytest.mark.django_db(transaction=True)
def test_random_operations_keep_the_books(settings: Any) -> None:
    # Each example signs up a new member; a fast hasher keeps that cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bystander = UserFactory()
    with tenant_scope(bystander.tenant_id):
        run_state_machine_as_test(
            LedgerMachine,
            settings=hypothesis.settings(
                max_examples=25,
                stateful_step_count=30,
                deadline=None,
                suppress_health_check=[
                    HealthCheck.function_scoped_fixture,
                    HealthCheck.too_slow,
                ],
            ),
        )
        # Every write above went to the machine's own tenants.
        assert Entry.objects.count() == 0
        assert Posting.objects.count() == 0
    assert Entry.all_tenants.exclude(tenant_id=bystander.tenant_id).exists()
