"""The ledger: journal entries whose postings sum to zero in every currency.

A person's transaction is an entry. Money in pairs their account with the tenant's
income line, money out with the expense line, a transfer pairs two of their accounts
(through the exchange line when the currencies differ). Opening balances and
adjustments are entries too. Entries are never edited: a correction is a reversal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from modules.shared.domain.balances import as_raw
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money, sum_by_currency
from modules.shared.domain.text import gettext_noop

# The days a transaction may fall on (documented in the API schema): wide enough for
# any real record, narrow enough that a typo (0001, 9999) is caught, not stored.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_WINDOW = gettext_noop("Enter a date between 1900-01-01 and 2100-12-31.")


class Counterpart(StrEnum):
    """The tenant's nominal lines that balance a person's own accounts."""

    INCOME = "income"
    EXPENSE = "expense"
    OPENING_BALANCE = "opening_balance"
    ADJUSTMENT = "adjustment"
    EXCHANGE = "exchange"
    REVALUATION = "revaluation"  # unrealised gains and losses of valued assets


class EntryKind(StrEnum):
    INFLOW = "inflow"
    OUTFLOW = "outflow"
    TRANSFER = "transfer"
    OPENING_BALANCE = "opening_balance"
    ADJUSTMENT = "adjustment"
    REVERSAL = "reversal"
    REVALUATION = "revaluation"


@dataclass(frozen=True, kw_only=True)
class LedgerAccount:
    """What the ledger needs to know of an account."""

    id: UUID
    currency: str
    is_liability: bool = False
    archived: bool = False
    name: str = ""
    valued: bool = False  # property, vehicle, investment: has a market value


@dataclass(frozen=True, kw_only=True)
class Posting:
    amount: Money
    account_id: UUID | None = None
    counterpart: Counterpart | None = None
    category_id: UUID | None = None

    def __post_init__(self) -> None:
        if (self.account_id is None) == (self.counterpart is None):
            raise ValidationError(
                gettext_noop("A posting belongs to an account or a counterpart line.")
            )

    def negated(self) -> Posting:
        return Posting(
            amount=-self.amount,
            account_id=self.account_id,
            counterpart=self.counterpart,
            category_id=self.category_id,
        )


@dataclass(frozen=True, kw_only=True)
class EntryText:
    payee: str = ""
    description: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class JournalEntry:
    id: UUID
    kind: EntryKind
    occurred_on: date
    postings: tuple[Posting, ...]
    text: EntryText = field(default_factory=EntryText)
    reverses: UUID | None = None

    def __post_init__(self) -> None:
        if not EARLIEST_DATE <= self.occurred_on <= LATEST_DATE:
            raise ValidationError.for_field("date", DATE_WINDOW, code="out_of_range")
        if len(self.postings) < 2:
            raise ValidationError(gettext_noop("An entry needs at least two postings."))
        for total in sum_by_currency(p.amount for p in self.postings).values():
            if not total.is_zero():
                raise ValidationError(
                    gettext_noop("The postings of an entry must balance.")
                )

    @property
    def account_ids(self) -> tuple[UUID, ...]:
        return tuple(p.account_id for p in self.postings if p.account_id is not None)


def _require_positive(amount: Money, field_name: str = "amount") -> None:
    if not amount.is_positive():
        raise ValidationError.for_field(
            field_name, gettext_noop("The amount must be greater than zero.")
        )


def _require_usable(account: LedgerAccount, field_name: str) -> None:
    if account.archived:
        raise ValidationError.for_field(
            field_name, gettext_noop("This account is archived."), code="archived"
        )


def _require_currency(account: LedgerAccount, amount: Money, field_name: str) -> None:
    if amount.currency != account.currency:
        raise ValidationError.for_field(
            field_name,
            gettext_noop("The amount's currency is not the account's currency."),
            code="currency_mismatch",
        )


def money_in(
    *,
    entry_id: UUID,
    account: LedgerAccount,
    amount: Money,
    on: date,
    category_id: UUID | None = None,
    text: EntryText = EntryText(),
) -> JournalEntry:
    """Income: the account grows, balanced by the tenant's income line."""
    return _flow(EntryKind.INFLOW, entry_id, account, amount, on, category_id, text)


def money_out(
    *,
    entry_id: UUID,
    account: LedgerAccount,
    amount: Money,
    on: date,
    category_id: UUID | None = None,
    text: EntryText = EntryText(),
) -> JournalEntry:
    """Spending: the account shrinks, balanced by the tenant's expense line."""
    return _flow(EntryKind.OUTFLOW, entry_id, account, amount, on, category_id, text)


def _flow(
    kind: EntryKind,
    entry_id: UUID,
    account: LedgerAccount,
    amount: Money,
    on: date,
    category_id: UUID | None,
    text: EntryText,
) -> JournalEntry:
    _require_positive(amount)
    _require_usable(account, "account")
    _require_currency(account, amount, "amount")
    incoming = kind is EntryKind.INFLOW
    own = amount if incoming else -amount
    line = Counterpart.INCOME if incoming else Counterpart.EXPENSE
    return JournalEntry(
        id=entry_id,
        kind=kind,
        occurred_on=on,
        text=text,
        postings=(
            Posting(amount=own, account_id=account.id),
            Posting(amount=-own, counterpart=line, category_id=category_id),
        ),
    )


@dataclass(frozen=True, kw_only=True)
class FlowShare:
    """One share of a split money in or out: `amount` is signed as the account sees
    it (negative: spent in an expense category; positive: income)."""

    amount: Money
    category_id: UUID | None = None


def split_flow(
    *,
    entry_id: UUID,
    account: LedgerAccount,
    shares: tuple[FlowShare, ...],
    on: date,
    text: EntryText = EntryText(),
) -> JournalEntry:
    """One movement of `account` in several categories (a split statement line):
    each share balanced by the income or expense line its sign calls for. Money in
    when the shares add up to more than zero, money out when to less."""
    if len(shares) < 2:
        raise ValidationError.for_field(
            "shares", gettext_noop("A split needs at least two shares.")
        )
    _require_usable(account, "account")
    postings = []
    for share in shares:
        _require_currency(account, share.amount, "amount")
        if share.amount.is_zero():
            raise ValidationError.for_field(
                "amount", gettext_noop("A share of a split cannot be zero.")
            )
        line = Counterpart.INCOME if share.amount.is_positive() else Counterpart.EXPENSE
        postings.append(
            Posting(
                amount=-share.amount, counterpart=line, category_id=share.category_id
            )
        )
    total = sum((share.amount for share in shares), Money.zero(account.currency))
    _require_positive(abs(total))
    return JournalEntry(
        id=entry_id,
        kind=EntryKind.INFLOW if total.is_positive() else EntryKind.OUTFLOW,
        occurred_on=on,
        text=text,
        postings=(Posting(amount=total, account_id=account.id), *postings),
    )


def transfer(
    *,
    entry_id: UUID,
    source: LedgerAccount,
    target: LedgerAccount,
    amount: Money,
    on: date,
    target_amount: Money | None = None,
    text: EntryText = EntryText(),
) -> JournalEntry:
    """Between two of a person's accounts; across currencies both amounts are given."""
    if source.id == target.id:
        raise ValidationError.for_field(
            "to_account",
            gettext_noop("Choose two different accounts."),
            code="same_account",
        )
    _require_positive(amount)
    _require_usable(source, "from_account")
    _require_usable(target, "to_account")
    _require_currency(source, amount, "amount")
    received = _received_amount(source, target, amount, target_amount)
    postings = [
        Posting(amount=-amount, account_id=source.id),
        Posting(amount=received, account_id=target.id),
    ]
    if received.currency != amount.currency:
        postings += [
            Posting(amount=amount, counterpart=Counterpart.EXCHANGE),
            Posting(amount=-received, counterpart=Counterpart.EXCHANGE),
        ]
    return JournalEntry(
        id=entry_id,
        kind=EntryKind.TRANSFER,
        occurred_on=on,
        text=text,
        postings=tuple(postings),
    )


def _received_amount(
    source: LedgerAccount,
    target: LedgerAccount,
    amount: Money,
    target_amount: Money | None,
) -> Money:
    if target.currency == source.currency:
        if target_amount is not None and target_amount != amount:
            raise ValidationError.for_field(
                "to_amount",
                gettext_noop(
                    "Both accounts use the same currency; leave the second amount out."
                ),
            )
        return amount
    if target_amount is None:
        raise ValidationError.for_field(
            "to_amount",
            gettext_noop(
                "The accounts use different currencies: give the amount received."
            ),
            code="required",
        )
    _require_positive(target_amount, "to_amount")
    _require_currency(target, target_amount, "to_amount")
    return target_amount


def opening_balance(
    *, entry_id: UUID, account: LedgerAccount, balance: Money, on: date
) -> JournalEntry:
    """The balance an account starts with, in the account's own sense (owed, for a
    liability)."""
    _require_currency(account, balance, "opening_balance")
    if balance.is_zero():
        raise ValidationError.for_field(
            "opening_balance",
            gettext_noop("An opening balance of zero needs no entry."),
        )
    signed = as_raw(balance, liability=account.is_liability)
    return JournalEntry(
        id=entry_id,
        kind=EntryKind.OPENING_BALANCE,
        occurred_on=on,
        postings=(
            Posting(amount=signed, account_id=account.id),
            Posting(amount=-signed, counterpart=Counterpart.OPENING_BALANCE),
        ),
    )


def adjustment(
    *,
    entry_id: UUID,
    account: LedgerAccount,
    ledger_balance: Money,
    target: Money,
    on: date,
) -> JournalEntry:
    """ "My bank says 1,234.56": an entry for the difference. `target` is in the account's
    own sense; `ledger_balance` is the raw sum of its postings."""
    return _to_balance(
        EntryKind.ADJUSTMENT,
        Counterpart.ADJUSTMENT,
        "balance",
        entry_id=entry_id,
        account=account,
        ledger_balance=ledger_balance,
        target=target,
        on=on,
    )


def revaluation(
    *,
    entry_id: UUID,
    account: LedgerAccount,
    ledger_balance: Money,
    value: Money,
    on: date,
) -> JournalEntry:
    """A new market value of a property, vehicle or investment: the difference
    against the unrealised gains line, so net worth moves on the valuation date and
    the books stay double-entry (ADR 0018)."""
    if not account.valued:
        raise ValidationError.for_field(
            "account",
            gettext_noop(
                "Only property, vehicles and investments have a market value."
            ),
            code="not_valued",
        )
    if value.is_negative():
        raise ValidationError.for_field(
            "value", gettext_noop("A market value cannot be negative."), code="negative"
        )
    return _to_balance(
        EntryKind.REVALUATION,
        Counterpart.REVALUATION,
        "value",
        entry_id=entry_id,
        account=account,
        ledger_balance=ledger_balance,
        target=value,
        on=on,
    )


def _to_balance(
    kind: EntryKind,
    counterpart: Counterpart,
    field_name: str,
    *,
    entry_id: UUID,
    account: LedgerAccount,
    ledger_balance: Money,
    target: Money,
    on: date,
) -> JournalEntry:
    """An entry that brings the account to `target` (in its own sense)."""
    _require_usable(account, "account")
    _require_currency(account, target, field_name)
    wanted = as_raw(target, liability=account.is_liability)
    difference = wanted - ledger_balance
    if difference.is_zero():
        raise ValidationError.for_field(
            field_name,
            gettext_noop("The balance is already this amount."),
            code="no_difference",
        )
    return JournalEntry(
        id=entry_id,
        kind=kind,
        occurred_on=on,
        postings=(
            Posting(amount=difference, account_id=account.id),
            Posting(amount=-difference, counterpart=counterpart),
        ),
    )


def reversal(
    *, entry_id: UUID, original: JournalEntry, on: date, already_reversed: bool
) -> JournalEntry:
    """The mirror image of an entry; the only way to undo one."""
    if already_reversed:
        raise ValidationError(
            gettext_noop("This transaction has already been reversed."),
            code="ALREADY_REVERSED",
        )
    if original.kind is EntryKind.REVERSAL:
        raise ValidationError(
            gettext_noop(
                "A reversal cannot itself be reversed; record a new transaction."
            ),
            code="CANNOT_REVERSE_REVERSAL",
        )
    return JournalEntry(
        id=entry_id,
        kind=EntryKind.REVERSAL,
        occurred_on=on,
        text=original.text,
        reverses=original.id,
        postings=tuple(p.negated() for p in original.postings),
    )


@dataclass(frozen=True, kw_only=True)
class SplitLine:
    """One share of a split payment: into another of the person's accounts, or spent
    in an expense category."""

    amount: Money
    account: LedgerAccount | None = None
    category_id: UUID | None = None


def split_payment(
    *,
    entry_id: UUID,
    source: LedgerAccount,
    lines: tuple[SplitLine, ...],
    on: date,
    text: EntryText = EntryText(),
) -> JournalEntry:
    """One payment out of `source` in several shares (a loan instalment: principal to
    the loan account, interest as an expense). A transfer when a share goes to an
    account, money out otherwise; one currency throughout."""
    if not lines:
        raise ValidationError.for_field(
            "lines", gettext_noop("A split payment needs at least one share.")
        )
    _require_usable(source, "from_account")
    postings = []
    for line in lines:
        _require_positive(line.amount)
        _require_currency(source, line.amount, "amount")
        if line.account is None:
            postings.append(
                Posting(
                    amount=line.amount,
                    counterpart=Counterpart.EXPENSE,
                    category_id=line.category_id,
                )
            )
            continue
        if line.account.id == source.id:
            raise ValidationError.for_field(
                "to_account",
                gettext_noop("Choose two different accounts."),
                code="same_account",
            )
        _require_usable(line.account, "to_account")
        postings.append(Posting(amount=line.amount, account_id=line.account.id))
    total = sum((p.amount for p in postings), Money.zero(source.currency))
    to_accounts = any(line.account is not None for line in lines)
    return JournalEntry(
        id=entry_id,
        kind=EntryKind.TRANSFER if to_accounts else EntryKind.OUTFLOW,
        occurred_on=on,
        text=text,
        postings=(Posting(amount=-total, account_id=source.id), *postings),
    )
