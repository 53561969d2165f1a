"""`manage.py seed_demo_ledger`: accounts and three months of transactions for the
demo person, so a newcomer sees a lived-in ledger. Does nothing if they have accounts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from modules.accounts import api as accounts
from modules.accounts.api import AccountKind, OpenAccount, account_rows, open_account
from modules.shared.application.tenancy import tenant_scope
from modules.transactions import api as ledger
from modules.transactions.api import (
    EntryKind,
    EntryText,
    RecordFlow,
    RecordTransfer,
    record_transaction,
)

ACCOUNTS = [
    ("Everyday account", AccountKind.CHECKING, "EUR", "2500.00"),
    ("Savings", AccountKind.SAVINGS, "EUR", "10000.00"),
    ("Credit card", AccountKind.CREDIT_CARD, "EUR", "350.00"),
    ("Dollar wallet", AccountKind.WALLET, "USD", "200.00"),
]
SPENDING = [
    ("Groceries", "Market", 30, 120),
    ("Restaurants and cafés", "Café", 8, 45),
    ("Fuel", "Station", 40, 80),
]


class Command(BaseCommand):
    help = "Give the demo person accounts and a few months of transactions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@example.com")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email=options["email"]).first()
        if user is None:
            raise CommandError("run seed_demo first")
        with tenant_scope(user.tenant_id):
            if account_rows().exists():
                self.stdout.write("Demo ledger already present.")
                return
            ids = self._open_accounts(user.tenant_id)
            count = self._record_history(ids)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ledger ready: {count} transactions.")
        )

    def _open_accounts(self, tenant_id: UUID) -> list[UUID]:
        opened_on = timezone.localdate() - timedelta(days=95)
        return [
            open_account(
                uow=accounts.unit_of_work(),
                command=OpenAccount(
                    tenant_id=tenant_id,
                    name=name,
                    kind=kind,
                    currency=currency,
                    opening_balance=opening,
                    opened_on=opened_on,
                ),
            ).id
            for name, kind, currency, opening in ACCOUNTS
        ]

    def _record_history(self, ids: list[UUID]) -> int:
        checking, savings, card, wallet = ids
        category = ledger.category_ids_by_name()
        rng = random.Random(2026)  # noqa: S311 - demo data, not security
        today = timezone.localdate()
        commands: list[RecordFlow | RecordTransfer] = []
        for month_back in (2, 1, 0):
            first = (today.replace(day=1) - timedelta(days=31 * month_back)).replace(
                day=1
            )
            commands += self._month(
                first, checking, savings, card, wallet, category, rng
            )
        for command in commands:
            if command.on <= today:
                record_transaction(uow=ledger.unit_of_work(), command=command)
        return sum(1 for c in commands if c.on <= today)

    @staticmethod
    def _month(
        first: date,
        checking: UUID,
        savings: UUID,
        card: UUID,
        wallet: UUID,
        category: dict[str, UUID],
        rng: random.Random,
    ) -> list[RecordFlow | RecordTransfer]:
        flows: list[RecordFlow | RecordTransfer] = [
            RecordFlow(
                direction=EntryKind.INFLOW,
                account_id=checking,
                amount="3150.00",
                on=first,
                category_id=category.get("Salary"),
                text=EntryText(payee="Employer"),
            ),
            RecordFlow(
                direction=EntryKind.OUTFLOW,
                account_id=checking,
                amount="950.00",
                on=first + timedelta(days=2),
                category_id=category.get("Rent or mortgage"),
                text=EntryText(payee="Landlord"),
            ),
            RecordTransfer(
                from_account_id=checking,
                to_account_id=savings,
                amount="400.00",
                on=first + timedelta(days=3),
                text=EntryText(description="Monthly saving"),
            ),
            RecordTransfer(
                from_account_id=checking,
                to_account_id=card,
                amount="300.00",
                on=first + timedelta(days=20),
                text=EntryText(description="Card payment"),
            ),
        ]
        for day in range(4, 28, 3):
            name, payee, low, high = SPENDING[day % len(SPENDING)]
            account = card if day % 2 else checking
            flows.append(
                RecordFlow(
                    direction=EntryKind.OUTFLOW,
                    account_id=account,
                    amount=f"{rng.randint(low * 100, high * 100) / 100:.2f}",
                    on=first + timedelta(days=day),
                    category_id=category.get(name),
                    text=EntryText(payee=payee),
                )
            )
        flows.append(
            RecordTransfer(
                from_account_id=checking,
                to_account_id=wallet,
                amount="100.00",
                to_amount=f"{rng.randint(10500, 11200) / 100:.2f}",
                on=first + timedelta(days=15),
                text=EntryText(description="Travel money"),
            )
        )
        return flows
