"""Account use cases against in-memory ports: opening (with an opening balance),
renaming and archiving, without a database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from modules.accounts.application.use_cases import (
    OpenAccount,
    UpdateAccount,
    open_account,
    update_account,
)
from modules.accounts.domain.accounts import Account, AccountKind
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.money import Money
from tests.unit.fakes import NOW, FakeTransaction, FixedClock

OPENED_ON = date(2026, 11, 2)
TENANT = uuid.uuid4()


class FakeAccountStore:
    def __init__(self) -> None:
        self.by_id: dict[UUID, Account] = {}
        self.saves = 0

    def add(self, account: Account) -> None:
        self.by_id[account.id] = account

    def get(self, account_id: UUID) -> Account | None:
        return self.by_id.get(account_id)

    def save(self, account: Account) -> None:
        self.saves += 1
        self.by_id[account.id] = account


class FakeLedger:
    """The `Ledger` port as accounts use it: opening balances are recorded."""

    def __init__(self) -> None:
        self.openings: list[tuple[UUID, Money, date]] = []

    def record_opening_balance(
        self, *, account: Account, balance: Money, on: date
    ) -> None:
        self.openings.append((account.id, balance, on))

    def raw_balances(self, account_ids: Iterable[UUID]) -> dict[UUID, int]:
        raise NotImplementedError

    def statement(self, account_id: UUID, **_: Any) -> Any:
        raise NotImplementedError

    def adjust_balance(self, *, account_id: UUID, balance: str, on: date) -> None:
        raise NotImplementedError


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        self.accounts = FakeAccountStore()
        self.ledger = FakeLedger()
        self.clock = FixedClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def opening(**overrides: Any) -> OpenAccount:
    values: dict[str, Any] = {
        "tenant_id": TENANT,
        "name": "  Everyday account ",
        "kind": AccountKind.CHECKING,
        "currency": "eur",
        "opened_on": OPENED_ON,
        **overrides,
    }
    return OpenAccount(**values)


# --- Opening ----------------------------------------------------------------------
def test_opening_an_account_with_its_balance_today(uow: FakeUnitOfWork) -> None:
    account = open_account(
        uow=uow,
        command=opening(opening_balance="1234.50", institution="Bank", notes="Main"),
    )
    assert uow.accounts.by_id[account.id] == account
    assert (account.name, account.currency) == ("Everyday account", "EUR")
    assert (account.institution, account.notes) == ("Bank", "Main")
    assert not account.archived and account.tenant_id == TENANT
    assert uow.ledger.openings == [
        (account.id, Money.parse("1234.50", "EUR"), OPENED_ON)
    ]
    assert uow.commits == 1


@pytest.mark.parametrize("balance", [None, "", "0", "0.00"])
def test_no_opening_balance_means_no_entry(
    uow: FakeUnitOfWork, balance: str | None
) -> None:
    account = open_account(uow=uow, command=opening(opening_balance=balance))
    assert account.id in uow.accounts.by_id
    assert uow.ledger.openings == []


def test_a_credit_card_opens_with_what_is_owed(uow: FakeUnitOfWork) -> None:
    """The amount goes to the ledger in the account's own sense; it signs it."""
    card = open_account(
        uow=uow,
        command=opening(kind=AccountKind.CREDIT_CARD, opening_balance="300.00"),
    )
    assert card.is_liability
    assert uow.ledger.openings[0][1] == Money.parse("300.00", "EUR")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": "XXX"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "JPY", "opening_balance": "10.5"}, "amount"),
        ({"opening_balance": "ten"}, "amount"),
    ],
)
def test_a_refused_account_leaves_nothing_behind(
    uow: FakeUnitOfWork, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        open_account(uow=uow, command=opening(**overrides))
    assert refused.value.details[0].field == field
    assert uow.accounts.by_id == {} and uow.ledger.openings == []


# --- Renaming, archiving ----------------------------------------------------------
def opened(uow: FakeUnitOfWork) -> Account:
    return open_account(uow=uow, command=opening())


def test_renaming_and_describing(uow: FakeUnitOfWork) -> None:
    account = opened(uow)
    updated = update_account(
        uow=uow,
        command=UpdateAccount(
            account_id=account.id, name=" Joint ", institution="Credit union"
        ),
    )
    assert (updated.name, updated.institution, updated.notes) == (
        "Joint",
        "Credit union",
        "",
    )
    assert uow.accounts.by_id[account.id] == updated
    assert (updated.kind, updated.currency) == (account.kind, account.currency)


def test_archiving_keeps_the_first_moment_and_restoring_clears_it(
    uow: FakeUnitOfWork,
) -> None:
    account = opened(uow)
    archive = UpdateAccount(account_id=account.id, archived=True)

    assert update_account(uow=uow, command=archive).archived_at == NOW
    uow.clock.advance(timedelta(days=30))
    assert update_account(uow=uow, command=archive).archived_at == NOW
    restored = update_account(
        uow=uow, command=UpdateAccount(account_id=account.id, archived=False)
    )
    assert restored.archived_at is None and not restored.archived


def test_an_untouched_account_is_not_rewritten(uow: FakeUnitOfWork) -> None:
    account = opened(uow)
    update_account(uow=uow, command=UpdateAccount(account_id=account.id))
    update_account(
        uow=uow,
        command=UpdateAccount(account_id=account.id, name=account.name, archived=False),
    )
    assert uow.accounts.saves == 0


def test_another_tenants_account_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        update_account(
            uow=uow, command=UpdateAccount(account_id=uuid.uuid4(), name="Mine")
        )
    assert uow.rollbacks == 1
