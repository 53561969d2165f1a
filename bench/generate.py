"""A realistic tenant, written straight into the database in bulk.

Five years of one household's money: a monthly salary and daily business income,
rent, many purchases spread over the expense categories (most on the credit card),
the card paid off monthly from checking, savings and brokerage transfers, cash
withdrawals, and a euro account fed by cross-currency transfers. Going through the
API would take an hour for 100,000 transactions; `bulk_create` on the ledger's own
ORM models takes seconds, and the rows still pass every PostgreSQL trigger (entries
balance per currency, postings agree with their entry and account, append-only);
the monthly totals (the read model the API writes with each entry) are then rebuilt
from those postings, as `manage.py rebuild_rollups` does.

    python -m bench.generate --email a@b.c --password ... --transactions 100000

prints one JSON line: the tenant, its accounts and categories, and the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

BATCH = 5_000

# key, name, kind, currency
ACCOUNTS = [
    ("checking", "Everyday checking", "checking", "USD"),
    ("savings", "Savings", "savings", "USD"),
    ("card", "Credit card", "credit_card", "USD"),
    ("cash", "Wallet", "cash", "USD"),
    ("broker", "Brokerage", "investment", "USD"),
    ("euro", "Euro account", "checking", "EUR"),
]
OPENING_MINOR = {"checking": 300_000, "savings": 1_000_000, "euro": 50_000}

# expense category: (weight, lowest, highest amount in major units)
SPENDING = {
    "Groceries": (30, 8, 180),
    "Restaurants and cafés": (20, 4, 90),
    "Shopping": (10, 10, 300),
    "Fuel": (8, 25, 90),
    "Public transport": (8, 2, 30),
    "Entertainment": (5, 8, 120),
    "Subscriptions": (4, 5, 25),
    "Doctor and pharmacy": (3, 10, 150),
    "Utilities": (2, 40, 220),
    "Home maintenance": (2, 20, 600),
    "Gifts and donations": (2, 15, 200),
    "Travel": (2, 40, 900),
    "Childcare and education": (2, 30, 400),
    "Car maintenance": (1, 50, 900),
    "Bank fees": (1, 1, 15),
}
BUSY_CATEGORY = "Groceries"
# which account pays a purchase
PAYERS = {"card": 55, "checking": 33, "cash": 10, "euro": 2}
PAYEES = [
    "Corner Market",
    "City Foods",
    "Metro",
    "Cafe Luna",
    "Hardware Co",
    "Web Shop",
]
EUR_PER_USD = 0.92


@dataclass(frozen=True)
class Line:
    """One posting: an own account (by key) or a counterpart line."""

    minor: int
    currency: str
    account: str | None = None
    counterpart: str = ""
    category: str | None = None


@dataclass
class Spec:
    kind: str
    on: date
    lines: list[Line]
    payee: str = ""


@dataclass
class Household:
    """What the spec builders need: the calendar, a seeded random source, and the card's
    spend per month (so the payment clears exactly what was spent)."""

    start: date
    end: date
    rng: random.Random
    card_spend: dict[tuple[int, int], int] = field(
        default_factory=lambda: defaultdict(int)
    )

    def day(self) -> date:
        return self.start + timedelta(
            days=self.rng.randrange((self.end - self.start).days)
        )

    def months(self) -> Iterator[date]:
        current = date(self.start.year, self.start.month, 1)
        while current <= self.end:
            yield current
            current = date(
                current.year + current.month // 12, current.month % 12 + 1, 1
            )


def flow(
    kind: str, on: date, account: str, minor: int, category: str, payee: str
) -> Spec:
    """Money out (`outflow`) or in (`inflow`): the account line and its counterpart."""
    currency = "EUR" if account == "euro" else "USD"
    sign = -1 if kind == "outflow" else 1
    counterpart = "expense" if kind == "outflow" else "income"
    return Spec(
        kind,
        on,
        [
            Line(sign * minor, currency, account=account),
            Line(-sign * minor, currency, counterpart=counterpart, category=category),
        ],
        payee,
    )


def transfer(on: date, source: str, target: str, minor: int) -> Spec:
    return Spec(
        "transfer",
        on,
        [Line(-minor, "USD", account=source), Line(minor, "USD", account=target)],
    )


def exchange(on: date, minor_usd: int) -> Spec:
    """USD checking to the euro account: four lines, balanced in each currency through
    the exchange counterpart."""
    minor_eur = round(minor_usd * EUR_PER_USD)
    return Spec(
        "transfer",
        on,
        [
            Line(-minor_usd, "USD", account="checking"),
            Line(minor_eur, "EUR", account="euro"),
            Line(minor_usd, "USD", counterpart="exchange"),
            Line(-minor_eur, "EUR", counterpart="exchange"),
        ],
    )


def opening(on: date, account: str, minor: int) -> Spec:
    currency = "EUR" if account == "euro" else "USD"
    return Spec(
        "opening_balance",
        on,
        [
            Line(minor, currency, account=account),
            Line(-minor, currency, counterpart="opening_balance"),
        ],
    )


def purchase(home: Household) -> Spec:
    names, weights = list(SPENDING), [w for w, _, _ in SPENDING.values()]
    category = home.rng.choices(names, weights)[0]
    _, low, high = SPENDING[category]
    minor = home.rng.randint(low * 100, high * 100)
    payer = home.rng.choices(list(PAYERS), list(PAYERS.values()))[0]
    on = home.day()
    if payer == "card":
        home.card_spend[(on.year, on.month)] += minor
    return flow("outflow", on, payer, minor, category, home.rng.choice(PAYEES))


def day_to_day(home: Household) -> Spec:
    """The bulk of the ledger: purchases, some business income, a few refunds."""
    roll = home.rng.random()
    if roll < 0.05:
        minor = home.rng.randint(20_000, 160_000)
        return flow(
            "inflow", home.day(), "checking", minor, "Business income", "Client"
        )
    if roll < 0.07:
        minor = home.rng.randint(500, 8_000)
        return flow("inflow", home.day(), "card", minor, "Refunds", "Web Shop")
    return purchase(home)


def monthly(home: Household, first: date) -> list[Spec]:
    """Salary, rent, insurance, savings, brokerage, cash, and the euro top-up."""
    rng, last = home.rng, home.end
    specs = [
        flow(
            "inflow", first.replace(day=25), "checking", 520_000, "Salary", "Employer"
        ),
        flow("outflow", first, "checking", 180_000, "Rent or mortgage", "Landlord"),
        flow(
            "outflow", first.replace(day=5), "checking", 21_000, "Insurance", "Insurer"
        ),
        flow(
            "inflow",
            first.replace(day=28),
            "savings",
            rng.randint(500, 3_000),
            "Interest and dividends",
            "Bank",
        ),
        transfer(first.replace(day=2), "checking", "savings", 50_000),
        transfer(first.replace(day=3), "checking", "broker", 30_000),
        exchange(first.replace(day=10), rng.randint(20_000, 60_000)),
    ]
    specs += [
        transfer(first.replace(day=day), "checking", "cash", 10_000)
        for day in (7, 14, 21)
    ]
    return [spec for spec in specs if home.start <= spec.on <= last]


def card_payments(home: Household) -> list[Spec]:
    """Each month's card spend, paid from checking on the 15th of the next month."""
    specs = []
    for (year, month), minor in sorted(home.card_spend.items()):
        on = date(year + month // 12, month % 12 + 1, 15)
        if on <= home.end:
            specs.append(transfer(on, "checking", "card", minor))
    return specs


def plan(transactions: int, years: int, seed: int, end: date) -> list[Spec]:
    """Exactly `transactions` entries (plus the opening balances), oldest first."""
    home = Household(
        start=end - timedelta(days=365 * years), end=end, rng=random.Random(seed)
    )
    scheduled = [spec for first in home.months() for spec in monthly(home, first)]
    if len(scheduled) > transactions // 2:
        scheduled = home.rng.sample(scheduled, transactions // 2)
    remaining = transactions - len(scheduled)
    # card payments clear the spend of the purchases drawn so far; a few more
    # day-to-day entries then make the count exact
    daily = [day_to_day(home) for _ in range(remaining - remaining // 30)]
    payments = card_payments(home)[: remaining // 30]
    daily += [day_to_day(home) for _ in range(remaining - len(daily) - len(payments))]
    openings = [opening(home.start, key, minor) for key, minor in OPENING_MINOR.items()]
    return openings + sorted(scheduled + daily + payments, key=lambda spec: spec.on)


def create_tenant(email: str, password: str) -> Any:
    """Through the real sign-up path: the tenant, the user, and the starter categories."""
    from django.utils import timezone

    from modules.identity.infrastructure.models import User

    return User.objects.create_user(email, password, email_verified_at=timezone.now())


def create_accounts(tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    from modules.accounts.infrastructure.models import Account

    rows = [
        Account(tenant_id=tenant_id, name=name, kind=kind, currency=currency)
        for _, name, kind, currency in ACCOUNTS
    ]
    Account.all_tenants.bulk_create(rows)
    return {key: row.id for (key, *_), row in zip(ACCOUNTS, rows, strict=True)}


def category_ids(tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    from modules.transactions.infrastructure.models import Category

    rows = Category.all_tenants.filter(tenant_id=tenant_id, parent__isnull=False)
    found = {row.name: row.id for row in rows}
    found.update(
        (row.name, row.id)
        for row in Category.all_tenants.filter(tenant_id=tenant_id, kind="income")
    )
    return found


def write(
    specs: list[Spec],
    tenant_id: uuid.UUID,
    accounts: dict[str, uuid.UUID],
    categories: dict[str, uuid.UUID],
) -> int:
    """Batches of entries and their postings, each batch one transaction (the deferred
    balance triggers run at its commit). Statistics are refreshed after each batch:
    planned on an empty table, the triggers' lookups by entry would scan it whole,
    and loading would grow quadratically."""
    from django.db import connection, transaction

    from modules.transactions.infrastructure.models import Entry, Posting

    postings = 0
    for offset in range(0, len(specs), BATCH):
        entries, lines = rows_for(
            specs[offset : offset + BATCH], tenant_id, accounts, categories
        )
        with transaction.atomic():
            Entry.all_tenants.bulk_create(entries)
            Posting.all_tenants.bulk_create(lines, batch_size=BATCH)
        postings += len(lines)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE transactions_entry, transactions_posting")
    return postings


def rows_for(
    specs: list[Spec],
    tenant_id: uuid.UUID,
    accounts: dict[str, uuid.UUID],
    categories: dict[str, uuid.UUID],
) -> tuple[list[Any], list[Any]]:
    from modules.transactions.infrastructure.models import Entry, Posting

    entries, lines = [], []
    for spec in specs:
        entry = Entry(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            kind=spec.kind,
            occurred_on=spec.on,
            payee=spec.payee,
            created_at=datetime(
                spec.on.year, spec.on.month, spec.on.day, 12, tzinfo=UTC
            ),
        )
        entries.append(entry)
        lines += [
            Posting(
                tenant_id=tenant_id,
                entry_id=entry.id,
                account_id=accounts[line.account] if line.account else None,
                counterpart=line.counterpart,
                category_id=categories[line.category] if line.category else None,
                currency=line.currency,
                amount_minor=line.minor,
                occurred_on=spec.on,
            )
            for line in spec.lines
        ]
    return entries, lines


def generate(
    email: str, password: str, *, transactions: int, years: int = 5, seed: int = 1
) -> dict[str, Any]:
    from django.utils import timezone

    from modules.transactions.infrastructure import rollups

    started = time.perf_counter()
    user = create_tenant(email, password)
    accounts = create_accounts(user.tenant_id)
    categories = category_ids(user.tenant_id)
    specs = plan(transactions, years, seed, timezone.localdate())
    postings = write(specs, user.tenant_id, accounts, categories)
    rollups.rebuild(user.tenant_id)  # rows written in bulk: the read model after them
    return {
        "email": email,
        "tenant_id": str(user.tenant_id),
        "accounts": {key: str(value) for key, value in accounts.items()},
        "busy_category": {"name": BUSY_CATEGORY, "id": str(categories[BUSY_CATEGORY])},
        "expense_category": str(categories["Restaurants and cafés"]),
        "income_category": str(categories["Business income"]),
        "first_date": specs[0].on.isoformat(),
        "last_date": max(spec.on for spec in specs).isoformat(),
        "entries": len(specs),
        "transactions": transactions,
        "postings": postings,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    result = generate(
        args.email,
        args.password,
        transactions=args.transactions,
        years=args.years,
        seed=args.seed,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
