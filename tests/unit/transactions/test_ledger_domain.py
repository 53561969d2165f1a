"""The ledger's rules in plain Python: every entry balances, a reversal is an exact
mirror, an adjustment lands on the target, and bad input names the field at fault."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money
from modules.transactions.domain.ledger import (
    Counterpart,
    EntryKind,
    EntryText,
    JournalEntry,
    LedgerAccount,
    Posting,
    adjustment,
    money_in,
    money_out,
    opening_balance,
    reversal,
    transfer,
)

CURRENCIES = ("EUR", "USD", "JPY", "KWD")
ON = date(2026, 11, 20)
LIMIT = 10**12  # minor units: a trillion KWD fils is still inside Money's 15 digits


def account(currency: str = "EUR", **flags: bool) -> LedgerAccount:
    return LedgerAccount(id=uuid.uuid4(), currency=currency, **flags)


def money(minor: int, currency: str = "EUR") -> Money:
    return Money.from_minor(minor, currency)


def sums_in_minor(entry: JournalEntry) -> dict[str, int]:
    """Totals per currency in integers, independent of `Money` arithmetic."""
    totals: Counter[str] = Counter()
    for posting in entry.postings:
        totals[posting.amount.currency] += posting.amount.minor
    return dict(totals)


def account_deltas(entry: JournalEntry) -> dict[uuid.UUID, int]:
    deltas: Counter[uuid.UUID] = Counter()
    for posting in entry.postings:
        if posting.account_id is not None:
            deltas[posting.account_id] += posting.amount.minor
    return dict(deltas)


def problem(error: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str]:
    detail = error.value.details[0]
    return detail.field, detail.code


# Strategies

currencies = st.sampled_from(CURRENCIES)
positive_minor = st.integers(min_value=1, max_value=LIMIT)
any_minor = st.integers(min_value=-LIMIT, max_value=LIMIT)
nonzero_minor = any_minor.filter(bool)
ledger_accounts = st.builds(
    lambda currency, liability: account(currency, is_liability=liability),
    currencies,
    st.booleans(),
)


@st.composite
def valid_entries(draw: st.DrawFn) -> JournalEntry:
    """Any entry a builder can produce, with random accounts, amounts and currencies."""
    kind = draw(st.sampled_from([k for k in EntryKind if k is not EntryKind.REVERSAL]))
    first = draw(ledger_accounts)
    entry_id = uuid.uuid4()
    if kind in (EntryKind.INFLOW, EntryKind.OUTFLOW):
        build = money_in if kind is EntryKind.INFLOW else money_out
        return build(
            entry_id=entry_id,
            account=first,
            amount=money(draw(positive_minor), first.currency),
            on=ON,
            category_id=draw(st.none() | st.builds(uuid.uuid4)),
        )
    if kind is EntryKind.TRANSFER:
        second = draw(ledger_accounts)
        return transfer(
            entry_id=entry_id,
            source=first,
            target=second,
            amount=money(draw(positive_minor), first.currency),
            target_amount=(
                None
                if second.currency == first.currency
                else money(draw(positive_minor), second.currency)
            ),
            on=ON,
        )
    if kind is EntryKind.OPENING_BALANCE:
        return opening_balance(
            entry_id=entry_id,
            account=first,
            balance=money(draw(nonzero_minor), first.currency),
            on=ON,
        )
    ledger_balance, target = draw(any_minor), draw(any_minor)
    wanted = -target if first.is_liability else target
    if wanted == ledger_balance:
        target += 1
    return adjustment(
        entry_id=entry_id,
        account=first,
        ledger_balance=money(ledger_balance, first.currency),
        target=money(target, first.currency),
        on=ON,
    )


# Examples


def test_money_in_credits_the_account_against_income() -> None:
    salary, category = account(), uuid.uuid4()
    entry = money_in(
        entry_id=uuid.uuid4(),
        account=salary,
        amount=Money.of("1000.10", "EUR"),
        on=ON,
        category_id=category,
        text=EntryText(payee="Employer"),
    )
    assert entry.kind is EntryKind.INFLOW
    assert entry.text.payee == "Employer"
    mine, income = entry.postings
    assert (mine.account_id, mine.amount) == (salary.id, Money.of("1000.10", "EUR"))
    assert income.counterpart is Counterpart.INCOME
    assert income.amount == Money.of("-1000.10", "EUR")
    assert income.category_id == category
    assert mine.category_id is None


def test_money_out_debits_the_account_against_expense() -> None:
    wallet = account("JPY")
    entry = money_out(
        entry_id=uuid.uuid4(), account=wallet, amount=Money.of("500", "JPY"), on=ON
    )
    assert entry.kind is EntryKind.OUTFLOW
    assert account_deltas(entry) == {wallet.id: -500}
    assert entry.postings[1].counterpart is Counterpart.EXPENSE
    assert entry.postings[1].amount == Money.of("500", "JPY")


def test_a_transfer_in_one_currency_has_two_postings() -> None:
    source, target = account(), account()
    entry = transfer(
        entry_id=uuid.uuid4(),
        source=source,
        target=target,
        amount=Money.of("12.34", "EUR"),
        target_amount=Money.of("12.34", "EUR"),  # the same amount again is harmless
        on=ON,
    )
    assert len(entry.postings) == 2
    assert account_deltas(entry) == {source.id: -1234, target.id: 1234}


def test_a_transfer_across_currencies_goes_through_the_exchange_line() -> None:
    eur, kwd = account("EUR"), account("KWD")
    entry = transfer(
        entry_id=uuid.uuid4(),
        source=eur,
        target=kwd,
        amount=Money.of("100.00", "EUR"),
        target_amount=Money.of("33.125", "KWD"),
        on=ON,
    )
    assert account_deltas(entry) == {eur.id: -10000, kwd.id: 33125}
    exchange = [p for p in entry.postings if p.counterpart is Counterpart.EXCHANGE]
    assert sorted(str(p.amount) for p in exchange) == ["-33.125 KWD", "100.00 EUR"]
    assert sums_in_minor(entry) == {"EUR": 0, "KWD": 0}


def test_an_opening_balance_of_a_liability_is_owed() -> None:
    card = account(is_liability=True)
    entry = opening_balance(
        entry_id=uuid.uuid4(), account=card, balance=Money.of("200.00", "EUR"), on=ON
    )
    assert account_deltas(entry) == {card.id: -20000}
    assert entry.postings[1].counterpart is Counterpart.OPENING_BALANCE


def test_an_adjustment_records_only_the_difference() -> None:
    checking = account()
    entry = adjustment(
        entry_id=uuid.uuid4(),
        account=checking,
        ledger_balance=Money.of("1000.10", "EUR"),
        target=Money.of("1234.56", "EUR"),
        on=ON,
    )
    assert entry.kind is EntryKind.ADJUSTMENT
    assert account_deltas(entry) == {checking.id: 23446}
    assert entry.postings[1].counterpart is Counterpart.ADJUSTMENT


def test_a_reversal_points_at_what_it_undoes_and_keeps_its_text() -> None:
    original = money_out(
        entry_id=uuid.uuid4(),
        account=account(),
        amount=Money.of("42.55", "EUR"),
        on=ON,
        category_id=uuid.uuid4(),
        text=EntryText(payee="Market", description="weekly", notes="n"),
    )
    undo = reversal(
        entry_id=uuid.uuid4(),
        original=original,
        on=date(2026, 12, 1),
        already_reversed=False,
    )
    assert undo.kind is EntryKind.REVERSAL
    assert undo.reverses == original.id
    assert undo.occurred_on == date(2026, 12, 1)
    assert undo.text == original.text
    assert undo.postings[1].category_id == original.postings[1].category_id


def test_an_entry_refuses_to_be_built_unbalanced_or_alone() -> None:
    mine = Posting(amount=Money.of("1.00", "EUR"), account_id=uuid.uuid4())
    income = Posting(amount=Money.of("-0.99", "EUR"), counterpart=Counterpart.INCOME)
    with pytest.raises(ValidationError, match="balance"):
        JournalEntry(
            id=uuid.uuid4(),
            kind=EntryKind.INFLOW,
            occurred_on=ON,
            postings=(mine, income),
        )
    with pytest.raises(ValidationError, match="two postings"):
        JournalEntry(
            id=uuid.uuid4(), kind=EntryKind.INFLOW, occurred_on=ON, postings=(mine,)
        )
    other_currency = Posting(
        amount=Money.of("-1.00", "USD"), counterpart=Counterpart.INCOME
    )
    with pytest.raises(ValidationError, match="balance"):
        JournalEntry(
            id=uuid.uuid4(),
            kind=EntryKind.INFLOW,
            occurred_on=ON,
            postings=(mine, other_currency),
        )


def test_a_posting_belongs_to_exactly_one_side() -> None:
    with pytest.raises(ValidationError):
        Posting(amount=Money.of("1", "EUR"))
    with pytest.raises(ValidationError):
        Posting(
            amount=Money.of("1", "EUR"),
            account_id=uuid.uuid4(),
            counterpart=Counterpart.INCOME,
        )


# Invalid input names the field at fault

Build = Callable[[], Any]


def _flow(build: Callable[..., JournalEntry], **overrides: Any) -> Build:
    arguments: dict[str, Any] = {
        "entry_id": uuid.uuid4(),
        "account": account(),
        "amount": Money.of("1.00", "EUR"),
        "on": ON,
        **overrides,
    }
    return lambda: build(**arguments)


def _transfer(**overrides: Any) -> Build:
    arguments: dict[str, Any] = {
        "entry_id": uuid.uuid4(),
        "source": account(),
        "target": account(),
        "amount": Money.of("1.00", "EUR"),
        "on": ON,
        **overrides,
    }
    return lambda: transfer(**arguments)


def _adjustment(**overrides: Any) -> Build:
    arguments: dict[str, Any] = {
        "entry_id": uuid.uuid4(),
        "account": account(),
        "ledger_balance": Money.of("5.00", "EUR"),
        "target": Money.of("7.00", "EUR"),
        "on": ON,
        **overrides,
    }
    return lambda: adjustment(**arguments)


SAME = account()
ARCHIVED = account(archived=True)

INVALID: dict[str, tuple[Build, str, str]] = {
    "money in of zero": (
        _flow(money_in, amount=Money.of("0", "EUR")),
        "amount",
        "invalid",
    ),
    "money out of a negative amount": (
        _flow(money_out, amount=Money.of("-1.00", "EUR")),
        "amount",
        "invalid",
    ),
    "money in of another currency": (
        _flow(money_in, amount=Money.of("1.00", "USD")),
        "amount",
        "currency_mismatch",
    ),
    "money out of an archived account": (
        _flow(money_out, account=ARCHIVED),
        "account",
        "archived",
    ),
    "money in to an archived account": (
        _flow(money_in, account=ARCHIVED),
        "account",
        "archived",
    ),
    "transfer to the same account": (
        _transfer(source=SAME, target=SAME),
        "to_account",
        "same_account",
    ),
    "transfer of zero": (
        _transfer(amount=Money.of("0", "EUR")),
        "amount",
        "invalid",
    ),
    "transfer of a negative amount": (
        _transfer(amount=Money.of("-0.01", "EUR")),
        "amount",
        "invalid",
    ),
    "transfer in the wrong currency": (
        _transfer(amount=Money.of("1", "JPY")),
        "amount",
        "currency_mismatch",
    ),
    "transfer from an archived account": (
        _transfer(source=ARCHIVED),
        "from_account",
        "archived",
    ),
    "transfer to an archived account": (
        _transfer(target=ARCHIVED),
        "to_account",
        "archived",
    ),
    "transfer across currencies without the received amount": (
        _transfer(target=account("USD")),
        "to_amount",
        "required",
    ),
    "transfer in one currency with a different second amount": (
        _transfer(target_amount=Money.of("1.01", "EUR")),
        "to_amount",
        "invalid",
    ),
    "transfer across currencies receiving zero": (
        _transfer(target=account("USD"), target_amount=Money.of("0", "USD")),
        "to_amount",
        "invalid",
    ),
    "transfer across currencies receiving a negative amount": (
        _transfer(target=account("USD"), target_amount=Money.of("-1", "USD")),
        "to_amount",
        "invalid",
    ),
    "transfer across currencies receiving a third currency": (
        _transfer(target=account("USD"), target_amount=Money.of("1", "JPY")),
        "to_amount",
        "currency_mismatch",
    ),
    "opening balance in another currency": (
        lambda: opening_balance(
            entry_id=uuid.uuid4(),
            account=account(),
            balance=Money.of("1", "KWD"),
            on=ON,
        ),
        "opening_balance",
        "currency_mismatch",
    ),
    "adjustment to the current balance": (
        _adjustment(target=Money.of("5.00", "EUR")),
        "balance",
        "no_difference",
    ),
    "adjustment of a liability to what it already owes": (
        _adjustment(account=account(is_liability=True), target=Money.of("-5", "EUR")),
        "balance",
        "no_difference",
    ),
    "adjustment in another currency": (
        _adjustment(target=Money.of("7.00", "USD")),
        "balance",
        "currency_mismatch",
    ),
    "adjustment of an archived account": (
        _adjustment(account=ARCHIVED),
        "account",
        "archived",
    ),
}


@pytest.mark.parametrize(("build", "field", "code"), INVALID.values(), ids=INVALID)
def test_invalid_input_names_the_field(build: Build, field: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        build()
    assert problem(error) == (field, code)


def test_reversing_twice_is_refused() -> None:
    original = money_in(
        entry_id=uuid.uuid4(), account=account(), amount=Money.of("1", "EUR"), on=ON
    )
    with pytest.raises(ValidationError) as error:
        reversal(entry_id=uuid.uuid4(), original=original, on=ON, already_reversed=True)
    assert error.value.code == "ALREADY_REVERSED"


def test_a_reversal_cannot_be_reversed() -> None:
    original = money_in(
        entry_id=uuid.uuid4(), account=account(), amount=Money.of("1", "EUR"), on=ON
    )
    undo = reversal(
        entry_id=uuid.uuid4(), original=original, on=ON, already_reversed=False
    )
    with pytest.raises(ValidationError) as error:
        reversal(entry_id=uuid.uuid4(), original=undo, on=ON, already_reversed=False)
    assert error.value.code == "CANNOT_REVERSE_REVERSAL"


# Properties


@given(valid_entries())
def test_every_builder_balances_per_currency(entry: JournalEntry) -> None:
    totals = sums_in_minor(entry)
    assert set(totals.values()) == {0}
    assert len(entry.postings) >= 2
    assert all(not p.amount.is_zero() for p in entry.postings)
    # Exchange lines appear exactly when an entry spans two currencies.
    exchange = [p for p in entry.postings if p.counterpart is Counterpart.EXCHANGE]
    assert len(exchange) == (2 if len(totals) == 2 else 0)


@given(
    source=ledger_accounts,
    target=ledger_accounts,
    sent=positive_minor,
    received=positive_minor,
)
def test_a_transfer_moves_exactly_what_was_sent_and_received(
    source: LedgerAccount, target: LedgerAccount, sent: int, received: int
) -> None:
    cross = source.currency != target.currency
    entry = transfer(
        entry_id=uuid.uuid4(),
        source=source,
        target=target,
        amount=money(sent, source.currency),
        target_amount=money(received, target.currency) if cross else None,
        on=ON,
    )
    assert account_deltas(entry) == {
        source.id: -sent,
        target.id: received if cross else sent,
    }


@given(valid_entries())
def test_a_reversal_mirrors_every_posting(original: JournalEntry) -> None:
    undo = reversal(
        entry_id=uuid.uuid4(), original=original, on=ON, already_reversed=False
    )
    assert undo.reverses == original.id
    assert len(undo.postings) == len(original.postings)
    for mirrored, posting in zip(undo.postings, original.postings, strict=True):
        assert mirrored.amount.minor == -posting.amount.minor
        assert mirrored.amount.currency == posting.amount.currency
        assert mirrored.account_id == posting.account_id
        assert mirrored.counterpart == posting.counterpart
        assert mirrored.category_id == posting.category_id
    together = Counter(account_deltas(original))
    together.update(account_deltas(undo))
    assert together
    assert set(together.values()) == {0}
    lines: Counter[tuple[object, str]] = Counter()
    for posting in original.postings + undo.postings:
        side = posting.account_id or posting.counterpart
        lines[(side, posting.amount.currency)] += posting.amount.minor
    assert set(lines.values()) == {0}


@given(
    account=ledger_accounts,
    ledger_balance=any_minor,
    target=any_minor,
)
def test_an_adjustment_lands_exactly_on_the_target(
    account: LedgerAccount, ledger_balance: int, target: int
) -> None:
    """`target` is in the account's own sense: owed, for a liability."""
    wanted_raw = -target if account.is_liability else target
    build = _adjustment(
        account=account,
        ledger_balance=money(ledger_balance, account.currency),
        target=money(target, account.currency),
    )
    if wanted_raw == ledger_balance:
        with pytest.raises(ValidationError) as error:
            build()
        assert problem(error) == ("balance", "no_difference")
        return
    entry = build()
    assert sums_in_minor(entry) == {account.currency: 0}
    after = ledger_balance + account_deltas(entry)[account.id]
    assert after == wanted_raw
    shown = -after if account.is_liability else after
    assert shown == target


@given(account=ledger_accounts, balance=nonzero_minor)
def test_an_opening_balance_shows_as_given(
    account: LedgerAccount, balance: int
) -> None:
    entry = opening_balance(
        entry_id=uuid.uuid4(),
        account=account,
        balance=money(balance, account.currency),
        on=ON,
    )
    raw = account_deltas(entry)[account.id]
    assert (-raw if account.is_liability else raw) == balance


@given(valid_entries(), positive_minor)
def test_archived_accounts_refuse_new_money(entry: JournalEntry, minor: int) -> None:
    """Whatever an entry touched, once archived its accounts take no money in or out."""
    (account_id, *_) = entry.account_ids
    currency = next(
        p.amount.currency for p in entry.postings if p.account_id == account_id
    )
    archived = LedgerAccount(id=account_id, currency=currency, archived=True)
    for build in (money_in, money_out):
        with pytest.raises(ValidationError) as error:
            build(
                entry_id=uuid.uuid4(),
                account=archived,
                amount=money(minor, currency),
                on=ON,
            )
        assert problem(error) == ("account", "archived")
