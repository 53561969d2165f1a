"""Ledger use cases against in-memory ports: recording, batches, reversals,
adjustments, opening balances and categories, without a database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from contracts.events.models import (
    BalanceUpdated,
    TransactionCreated,
    TransactionsRecorded,
)
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.money import Money
from modules.transactions.application import categories as category_cases
from modules.transactions.application import use_cases
from modules.transactions.application.categories import ChangeCategory, CreateCategory
from modules.transactions.application.ports import Directory
from modules.transactions.application.use_cases import (
    FlowSplit,
    RecordFlow,
    RecordSplitFlow,
    RecordSplitPayment,
    RecordTransfer,
    SplitShare,
)
from modules.transactions.domain.categories import Category, CategoryKind
from modules.transactions.domain.ledger import (
    Counterpart,
    EntryKind,
    JournalEntry,
    LedgerAccount,
)
from tests.unit.fakes import NOW, FakeOutbox, FakeTransaction, FixedClock

ON = date(2026, 11, 20)


class FakeAccounts:
    """`AccountDirectory`: the tenant's accounts as the ledger sees them."""

    def __init__(self, categories: FakeCategories) -> None:
        self.by_id: dict[UUID, LedgerAccount] = {}
        self.locked: list[set[UUID]] = []
        self.categories = categories
        self.has_rules = False

    def ledger_accounts(self, account_ids: Iterable[UUID]) -> dict[UUID, LedgerAccount]:
        return {i: self.by_id[i] for i in account_ids if i in self.by_id}

    def look_up(
        self, account_ids: Iterable[UUID], category_ids: Iterable[UUID], *, rules: bool
    ) -> Directory:
        return Directory(
            accounts=self.ledger_accounts(account_ids),
            category_kinds=self.categories.kinds_of(category_ids),
            has_rules=rules and self.has_rules,
        )

    def lock(self, account_ids: Iterable[UUID]) -> None:
        self.locked.append(set(account_ids))


class FakeEntries:
    """`EntryStore`: entries in memory; balances are the sums of their postings."""

    def __init__(self) -> None:
        self.saved: list[JournalEntry] = []

    def add_all(self, entries: list[JournalEntry]) -> dict[UUID, int]:
        self.saved.extend(entries)
        touched = {a for entry in entries for a in entry.account_ids}
        return {a: self.minor(a) for a in touched}

    def get(self, entry_id: UUID) -> JournalEntry | None:
        return next((e for e in self.saved if e.id == entry_id), None)

    def is_reversed(self, entry_id: UUID) -> bool:
        return any(e.reverses == entry_id for e in self.saved)

    def raw_balance(self, account_id: UUID, currency: str) -> Money:
        return Money.from_minor(self.minor(account_id), currency)

    def minor(self, account_id: UUID) -> int:
        return sum(
            p.amount.minor
            for e in self.saved
            for p in e.postings
            if p.account_id == account_id
        )


class FakeCategories:
    """`CategoryStore`: categories in memory, names unique per group ignoring case."""

    def __init__(self) -> None:
        self.by_id: dict[UUID, Category] = {}

    def kinds_of(self, category_ids: Iterable[UUID]) -> dict[UUID, CategoryKind]:
        return {
            i: self.by_id[i].kind
            for i in category_ids
            if i in self.by_id and self.by_id[i].archived_at is None
        }

    def add(self, category: Category) -> None:
        self.by_id[category.id] = category

    def get(self, category_id: UUID) -> Category | None:
        return self.by_id.get(category_id)

    def save(self, category: Category) -> None:
        self.by_id[category.id] = category

    def has_children(self, category_id: UUID) -> bool:
        return any(c.parent_id == category_id for c in self.by_id.values())

    def name_taken(
        self,
        *,
        kind: CategoryKind,
        parent_id: UUID | None,
        name: str,
        exclude: UUID | None,
    ) -> bool:
        return any(
            c.kind is kind
            and c.parent_id == parent_id
            and c.name.casefold() == name.casefold()
            and c.id != exclude
            for c in self.by_id.values()
        )


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        self.categories = FakeCategories()
        self.accounts = FakeAccounts(self.categories)
        self.entries = FakeEntries()
        self.events = FakeOutbox()
        self.clock = FixedClock()

    def open(self, currency: str = "EUR", **details: object) -> LedgerAccount:
        account = LedgerAccount(
            id=uuid.uuid4(), currency=currency, name="Everyday", **details
        )
        self.accounts.by_id[account.id] = account
        return account

    def category(
        self, kind: CategoryKind, name: str = "Food", parent: UUID | None = None
    ) -> UUID:
        category = Category(id=uuid.uuid4(), name=name, kind=kind, parent_id=parent)
        self.categories.add(category)
        return category.id

    def shown(self, account: LedgerAccount) -> str:
        raw = self.entries.raw_balance(account.id, account.currency)
        return (-raw if account.is_liability else raw).to_string()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def spend(account: LedgerAccount, amount: str, **more: object) -> RecordFlow:
    return RecordFlow(
        direction=EntryKind.OUTFLOW,
        account_id=account.id,
        amount=amount,
        on=ON,
        **more,  # type: ignore[arg-type]
    )


def earn(account: LedgerAccount, amount: str, **more: object) -> RecordFlow:
    return replace(spend(account, amount, **more), direction=EntryKind.INFLOW)


# --- Money in, money out, transfers --------------------------------------------
def test_money_out_lowers_the_balance_and_announces_it(uow: FakeUnitOfWork) -> None:
    account = uow.open()
    use_cases.record_transaction(uow=uow, command=earn(account, "100.00"))
    uow.events.events.clear()

    entry_id = use_cases.record_transaction(uow=uow, command=spend(account, "42.50"))

    assert uow.shown(account) == "57.50"
    created, balance = uow.events.events
    assert isinstance(created, TransactionCreated)
    assert created.transaction_id == entry_id and created.kind == "outflow"
    assert isinstance(balance, BalanceUpdated)
    assert (balance.previous_balance, balance.balance) == ("100.00", "57.50")
    assert balance.account_class == "asset" and balance.transaction_id == entry_id
    assert uow.commits == 2


def test_spending_on_a_credit_card_raises_what_is_owed(uow: FakeUnitOfWork) -> None:
    card = uow.open(is_liability=True)
    use_cases.record_transaction(uow=uow, command=spend(card, "30.00"))
    (balance,) = uow.events.of_type(BalanceUpdated)
    assert (balance.previous_balance, balance.balance) == ("0.00", "30.00")
    assert balance.account_class == "liability"


def test_the_category_goes_on_the_income_or_expense_line(uow: FakeUnitOfWork) -> None:
    account = uow.open()
    food = uow.category(CategoryKind.EXPENSE)
    entry_id = use_cases.record_transaction(
        uow=uow, command=spend(account, "9.99", category_id=food)
    )
    entry = uow.entries.get(entry_id)
    assert entry is not None
    line = next(p for p in entry.postings if p.counterpart is Counterpart.EXPENSE)
    assert line.category_id == food and line.amount == Money.parse("9.99", "EUR")


def test_entry_rules_complete_a_hand_entry_only_when_the_tenant_has_some(
    uow: FakeUnitOfWork,
) -> None:
    account = uow.open()
    food, salary = uow.category(CategoryKind.EXPENSE), uow.category(CategoryKind.INCOME)
    seen: list[RecordFlow] = []

    def rules(command: RecordFlow) -> RecordFlow:
        seen.append(command)
        return replace(command, category_id=food)

    use_cases.record_transaction(uow=uow, command=spend(account, "1.00"), rules=rules)
    assert seen == []  # the tenant has no rules: not even asked

    uow.accounts.has_rules = True
    use_cases.record_transaction(uow=uow, command=spend(account, "2.00"))
    assert seen == []  # not entered by hand (an import, a batch)
    entry_id = use_cases.record_transaction(
        uow=uow, command=spend(account, "3.00"), rules=rules
    )
    entry = uow.entries.get(entry_id)
    assert entry is not None and len(seen) == 1
    assert food in {p.category_id for p in entry.postings}  # its kind was looked up

    with pytest.raises(ValidationError) as refused:
        use_cases.record_transaction(
            uow=uow,
            command=spend(account, "4.00"),
            rules=lambda command: replace(command, category_id=salary),
        )
    assert refused.value.details[0].code == "wrong_kind"


@pytest.mark.parametrize(
    ("kind", "archived", "code"),
    [
        (CategoryKind.INCOME, False, "wrong_kind"),
        (CategoryKind.EXPENSE, True, "not_found"),
    ],
)
def test_spending_needs_an_active_expense_category(
    uow: FakeUnitOfWork, kind: CategoryKind, archived: bool, code: str
) -> None:
    account = uow.open()
    category_id = uow.category(kind)
    if archived:
        uow.categories.save(replace(uow.categories.by_id[category_id], archived_at=NOW))
    with pytest.raises(ValidationError) as refused:
        use_cases.record_transaction(
            uow=uow, command=spend(account, "5.00", category_id=category_id)
        )
    assert [(d.field, d.code) for d in refused.value.details] == [("category", code)]
    assert uow.entries.saved == [] and uow.events.events == []


def test_an_archived_account_takes_no_new_transactions(uow: FakeUnitOfWork) -> None:
    account = uow.open(archived=True)
    with pytest.raises(ValidationError) as refused:
        use_cases.record_transaction(uow=uow, command=earn(account, "1.00"))
    assert refused.value.details[0].code == "archived"
    assert uow.entries.saved == [] and uow.rollbacks == 1


def test_another_tenants_account_is_not_found(uow: FakeUnitOfWork) -> None:
    unknown = LedgerAccount(id=uuid.uuid4(), currency="EUR")
    with pytest.raises(NotFoundError) as refused:
        use_cases.record_transaction(uow=uow, command=spend(unknown, "1.00"))
    assert [d.field for d in refused.value.details] == ["account"]


@pytest.mark.parametrize(
    ("amount", "code"), [("1.001", "too_precise"), ("0", "invalid"), (None, "required")]
)
def test_amounts_are_parsed_strictly_on_their_field(
    uow: FakeUnitOfWork, amount: str | None, code: str
) -> None:
    account = uow.open()
    with pytest.raises(ValidationError) as refused:
        use_cases.record_transaction(uow=uow, command=spend(account, amount))  # type: ignore[arg-type]
    (detail,) = refused.value.details
    assert (detail.field, detail.code) == ("amount", code)
    assert uow.entries.saved == []


def test_a_transfer_moves_money_between_two_accounts(uow: FakeUnitOfWork) -> None:
    checking, savings = uow.open(), uow.open()
    use_cases.record_transaction(uow=uow, command=earn(checking, "500.00"))
    use_cases.record_transaction(
        uow=uow,
        command=RecordTransfer(
            from_account_id=checking.id,
            to_account_id=savings.id,
            amount="200.00",
            on=ON,
        ),
    )
    assert (uow.shown(checking), uow.shown(savings)) == ("300.00", "200.00")
    updated = {e.account_id for e in uow.events.of_type(BalanceUpdated)[1:]}
    assert updated == {checking.id, savings.id}


def test_a_transfer_across_currencies_needs_the_amount_received(
    uow: FakeUnitOfWork,
) -> None:
    euros, yen = uow.open("EUR"), uow.open("JPY")
    transfer = RecordTransfer(
        from_account_id=euros.id, to_account_id=yen.id, amount="10.00", on=ON
    )
    with pytest.raises(ValidationError) as refused:
        use_cases.record_transaction(uow=uow, command=transfer)
    assert refused.value.details[0].field == "to_amount"

    use_cases.record_transaction(uow=uow, command=replace(transfer, to_amount="1650"))
    assert (uow.shown(euros), uow.shown(yen)) == ("-10.00", "1650")
    (entry,) = uow.entries.saved
    exchange = [p for p in entry.postings if p.counterpart is Counterpart.EXCHANGE]
    assert sorted(p.amount.currency for p in exchange) == ["EUR", "JPY"]


# --- Batches ----------------------------------------------------------------------
def test_a_batch_is_one_event_and_one_balance_per_account(uow: FakeUnitOfWork) -> None:
    checking, cash = uow.open(), uow.open()
    ids = use_cases.record_batch(
        uow=uow,
        commands=[
            earn(checking, "10.00"),
            spend(checking, "3.00"),
            spend(cash, "1.00"),
        ],
    )
    (recorded,) = uow.events.of_type(TransactionsRecorded)
    assert recorded.transaction_ids == ids and len(ids) == 3
    balances = {e.account_id: e for e in uow.events.of_type(BalanceUpdated)}
    assert balances[checking.id].balance == "7.00"
    assert balances[checking.id].previous_balance == "0.00"
    assert balances[cash.id].balance == "-1.00"
    assert uow.events.of_type(TransactionCreated) == []


def test_a_batch_is_all_or_none_and_names_the_refused_item(
    uow: FakeUnitOfWork,
) -> None:
    account = uow.open()
    with pytest.raises(ValidationError) as refused:
        use_cases.record_batch(
            uow=uow, commands=[earn(account, "1.00"), spend(account, "-2.00")]
        )
    assert refused.value.details[0].field == "transactions[1].amount"
    assert uow.entries.saved == [] and uow.events.events == []


@pytest.mark.parametrize("size", [0, use_cases.MAX_BATCH + 1])
def test_a_batch_holds_one_to_five_hundred(uow: FakeUnitOfWork, size: int) -> None:
    account = uow.open()
    with pytest.raises(ValidationError) as refused:
        use_cases.record_batch(uow=uow, commands=[earn(account, "1.00")] * size)
    assert refused.value.details[0].code == "batch_size"


# --- Reversals ------------------------------------------------------------------
def test_a_reversal_mirrors_the_entry_and_restores_the_balance(
    uow: FakeUnitOfWork,
) -> None:
    account = uow.open()
    use_cases.record_transaction(uow=uow, command=earn(account, "80.00"))
    spent = use_cases.record_transaction(uow=uow, command=spend(account, "30.00"))

    reversal_id = use_cases.reverse_transaction(uow=uow, entry_id=spent, on=ON)

    assert uow.shown(account) == "80.00"
    reversal = uow.entries.get(reversal_id)
    assert reversal is not None
    assert reversal.kind is EntryKind.REVERSAL and reversal.reverses == spent
    assert uow.accounts.locked == [{account.id}]
    assert uow.events.of_type(BalanceUpdated)[-1].balance == "80.00"


def test_a_reversal_is_dated_today_in_the_persons_time_zone(
    uow: FakeUnitOfWork,
) -> None:
    account = uow.open()
    entry_id = use_cases.record_transaction(uow=uow, command=earn(account, "1.00"))
    uow.clock.moment = NOW.replace(hour=20)  # already tomorrow in Auckland
    uow.clock.zone = ZoneInfo("Pacific/Auckland")

    reversal_id = use_cases.reverse_transaction(uow=uow, entry_id=entry_id)

    reversal = uow.entries.get(reversal_id)
    assert reversal is not None
    assert reversal.occurred_on == NOW.date() + timedelta(days=1)


def test_an_entry_is_reversed_at_most_once(uow: FakeUnitOfWork) -> None:
    account = uow.open()
    entry_id = use_cases.record_transaction(uow=uow, command=earn(account, "5.00"))
    reversal_id = use_cases.reverse_transaction(uow=uow, entry_id=entry_id, on=ON)

    with pytest.raises(ValidationError) as twice:
        use_cases.reverse_transaction(uow=uow, entry_id=entry_id, on=ON)
    with pytest.raises(ValidationError) as of_reversal:
        use_cases.reverse_transaction(uow=uow, entry_id=reversal_id, on=ON)

    assert twice.value.code == "ALREADY_REVERSED"
    assert of_reversal.value.code == "CANNOT_REVERSE_REVERSAL"
    assert uow.shown(account) == "0.00" and len(uow.entries.saved) == 2


def test_reversing_an_unknown_entry_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        use_cases.reverse_transaction(uow=uow, entry_id=uuid.uuid4(), on=ON)


# --- Adjustments and opening balances -----------------------------------------------
def test_an_adjustment_records_the_difference_to_the_bank(
    uow: FakeUnitOfWork,
) -> None:
    account = uow.open()
    use_cases.record_transaction(uow=uow, command=earn(account, "100.00"))

    entry_id = use_cases.adjust_balance(
        uow=uow, account_id=account.id, balance="92.35", on=ON
    )

    assert uow.shown(account) == "92.35"
    entry = uow.entries.get(entry_id)
    assert entry is not None and entry.kind is EntryKind.ADJUSTMENT
    assert {p.counterpart for p in entry.postings} == {None, Counterpart.ADJUSTMENT}
    assert uow.accounts.locked == [{account.id}]


def test_a_liability_is_adjusted_to_what_is_owed(uow: FakeUnitOfWork) -> None:
    loan = uow.open(is_liability=True)
    use_cases.adjust_balance(uow=uow, account_id=loan.id, balance="1500.00", on=ON)
    assert uow.shown(loan) == "1500.00"
    assert uow.entries.minor(loan.id) == -150000


def pay_loan(
    uow: FakeUnitOfWork, source: LedgerAccount, shares: tuple[SplitShare, ...]
) -> UUID:
    return use_cases.record_split_payment(
        uow=uow,
        command=RecordSplitPayment(from_account_id=source.id, shares=shares, on=ON),
    )


def test_a_split_payment_is_one_balanced_entry_of_principal_and_interest(
    uow: FakeUnitOfWork,
) -> None:
    bank = uow.open()
    loan = uow.open(is_liability=True)
    use_cases.adjust_balance(uow=uow, account_id=loan.id, balance="1000.00", on=ON)
    interest = uow.category(CategoryKind.EXPENSE, "Interest")

    entry_id = pay_loan(
        uow,
        bank,
        (
            SplitShare(amount="81.44", account_id=loan.id),
            SplitShare(amount="4.17", category_id=interest),
        ),
    )

    entry = uow.entries.get(entry_id)
    assert entry is not None and entry.kind is EntryKind.TRANSFER
    assert uow.shown(loan) == "918.56"
    assert uow.shown(bank) == "-85.61"
    (expense,) = [p for p in entry.postings if p.counterpart is Counterpart.EXPENSE]
    assert (expense.amount.to_string(), expense.category_id) == ("4.17", interest)
    assert {b.account_id for b in uow.events.of_type(BalanceUpdated)} == {
        bank.id,
        loan.id,
    }


def test_a_split_payment_refuses_income_categories_and_unknown_accounts(
    uow: FakeUnitOfWork,
) -> None:
    bank = uow.open()
    salary = uow.category(CategoryKind.INCOME, "Salary")
    with pytest.raises(ValidationError):
        pay_loan(uow, bank, (SplitShare(amount="1.00", category_id=salary),))
    with pytest.raises(NotFoundError) as missing:
        pay_loan(uow, bank, (SplitShare(amount="1.00", account_id=uuid.uuid4()),))
    assert missing.value.details[0].field == "shares[0].account"
    with pytest.raises(ValidationError):
        pay_loan(uow, bank, ())
    assert uow.entries.saved == []


def split(uow: FakeUnitOfWork, account: LedgerAccount, *shares: FlowSplit) -> UUID:
    (entry_id,) = use_cases.record_batch(
        uow=uow,
        commands=[RecordSplitFlow(account_id=account.id, shares=shares, on=ON)],
    )
    return entry_id


def test_a_split_line_is_one_entry_with_income_and_expense_shares(
    uow: FakeUnitOfWork,
) -> None:
    bank = uow.open()
    phone = uow.category(CategoryKind.EXPENSE, "Phone")
    refunds = uow.category(CategoryKind.INCOME, "Refunds")

    entry_id = split(
        uow,
        bank,
        FlowSplit(amount="-15.00", category_id=phone),
        FlowSplit(amount="82.50", category_id=refunds),
    )

    entry = uow.entries.get(entry_id)
    assert entry is not None and entry.kind is EntryKind.INFLOW
    assert uow.shown(bank) == "67.50"
    lines = sorted(
        (p.amount.to_string(), p.counterpart, p.category_id) for p in entry.postings
    )
    assert lines == [
        ("-82.50", Counterpart.INCOME, refunds),
        ("15.00", Counterpart.EXPENSE, phone),
        ("67.50", None, None),
    ]
    spent = uow.entries.get(
        split(uow, bank, FlowSplit(amount="-1.00"), FlowSplit(amount="-2.00"))
    )
    assert spent is not None and spent.kind is EntryKind.OUTFLOW


@pytest.mark.parametrize(
    "amounts", [("-1.00",), ("-1.00", "0.00"), ("-1.00", "1.00"), ("-1.001", "2")]
)
def test_a_split_needs_two_nonzero_shares_a_total_and_exact_amounts(
    uow: FakeUnitOfWork, amounts: tuple[str, ...]
) -> None:
    bank = uow.open()
    with pytest.raises(ValidationError):
        split(uow, bank, *(FlowSplit(amount=a) for a in amounts))
    assert uow.entries.saved == []


def test_a_split_share_takes_a_category_of_its_direction(uow: FakeUnitOfWork) -> None:
    bank = uow.open()
    salary = uow.category(CategoryKind.INCOME, "Salary")
    with pytest.raises(ValidationError) as refused:
        split(
            uow,
            bank,
            FlowSplit(amount="-1.00", category_id=salary),
            FlowSplit(amount="-2.00"),
        )
    assert refused.value.details[0].field.startswith("transactions[0]")
    assert uow.entries.saved == []


def test_an_adjustment_to_the_same_balance_is_refused(uow: FakeUnitOfWork) -> None:
    account = uow.open()
    use_cases.record_transaction(uow=uow, command=earn(account, "12.00"))
    with pytest.raises(ValidationError) as refused:
        use_cases.adjust_balance(uow=uow, account_id=account.id, balance="12", on=ON)
    assert refused.value.details[0].code == "no_difference"


def test_an_archived_account_is_not_adjusted(uow: FakeUnitOfWork) -> None:
    account = uow.open(archived=True)
    with pytest.raises(ValidationError):
        use_cases.adjust_balance(uow=uow, account_id=account.id, balance="1", on=ON)
    assert uow.entries.saved == []


def test_an_opening_balance_is_an_entry_in_the_accounts_own_sense(
    uow: FakeUnitOfWork,
) -> None:
    card = uow.open(is_liability=True)
    use_cases.record_opening_balance(
        uow=uow, account=card, balance=Money.parse("250.00", "EUR"), on=ON
    )
    (entry,) = uow.entries.saved
    assert entry.kind is EntryKind.OPENING_BALANCE and entry.occurred_on == ON
    assert uow.entries.minor(card.id) == -25000
    (balance,) = uow.events.of_type(BalanceUpdated)
    assert (balance.previous_balance, balance.balance) == ("0.00", "250.00")


# --- Categories ----------------------------------------------------------------------
def create(uow: FakeUnitOfWork, name: str, **more: object) -> UUID:
    values: dict[str, object] = {"kind": CategoryKind.EXPENSE, **more}
    return category_cases.create_category(
        uow=uow,
        command=CreateCategory(name=name, **values),  # type: ignore[arg-type]
    )


def test_a_category_name_is_tidied_and_unique_in_its_group(
    uow: FakeUnitOfWork,
) -> None:
    home = create(uow, "  Home   and garden ")
    assert uow.categories.by_id[home].name == "Home and garden"
    rent = create(uow, "Rent", parent=home)
    with pytest.raises(ValidationError) as taken:
        create(uow, "rent", parent=home)
    assert taken.value.details[0].code == "unique"
    assert create(uow, "Rent") != rent  # the top level is another group
    assert create(uow, "Rent", kind=CategoryKind.INCOME)  # and so is another kind


@pytest.mark.parametrize("name", ["", "   "])
def test_a_category_needs_a_name(uow: FakeUnitOfWork, name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        create(uow, name)
    assert refused.value.details[0].field == "name"


def test_a_group_is_a_top_level_category_of_the_same_kind(
    uow: FakeUnitOfWork,
) -> None:
    home = create(uow, "Home")
    rent = create(uow, "Rent", parent=home)
    salary = create(uow, "Salary", kind=CategoryKind.INCOME)
    for parent in (rent, salary, uuid.uuid4()):
        with pytest.raises(ValidationError) as refused:
            create(uow, "Repairs", parent=parent)
        assert refused.value.details[0].field == "parent"


def change(uow: FakeUnitOfWork, category_id: UUID, **changes: object) -> Category:
    category_cases.change_category(
        uow=uow,
        command=ChangeCategory(category_id=category_id, **changes),  # type: ignore[arg-type]
    )
    return uow.categories.by_id[category_id]


def test_archiving_keeps_the_first_moment_and_restoring_clears_it(
    uow: FakeUnitOfWork,
) -> None:
    food = create(uow, "Food")
    assert change(uow, food, archived=True).archived_at == NOW
    uow.clock.advance(timedelta(days=3))
    assert change(uow, food, archived=True).archived_at == NOW
    assert change(uow, food, archived=False).archived_at is None
    assert change(uow, food, name="Groceries").name == "Groceries"


def test_moving_a_category_between_groups(uow: FakeUnitOfWork) -> None:
    home, car = create(uow, "Home"), create(uow, "Car")
    repairs = create(uow, "Repairs", parent=home)
    create(uow, "Repairs", parent=car)

    with pytest.raises(ValidationError) as taken:
        change(uow, repairs, parent=car)
    assert taken.value.details[0].code == "unique"
    assert change(uow, repairs, parent=None).parent_id is None
    with pytest.raises(ValidationError, match="own group"):
        change(uow, home, parent=home)
    with pytest.raises(ValidationError, match="cannot join"):
        change(uow, car, parent=home)  # Car holds Repairs


def test_changing_an_unknown_category_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        change(uow, uuid.uuid4(), name="Anything")


def test_nothing_to_change_writes_nothing(uow: FakeUnitOfWork) -> None:
    food = create(uow, "Food")
    saved: list[Category] = []
    uow.categories.save = saved.append  # type: ignore[method-assign]
    change(uow, food, name="Food", archived=False)
    assert saved == []
