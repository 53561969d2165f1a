"""django-hordak doing what bench/inprocess.py's `transfers` does with our ledger.

    DJANGO_SETTINGS_MODULE=bench.hordak_settings python -m bench.hordak_side 10000 BUDGET_SECONDS

Transfers go through `Account.transfer_to()`, the shortcut hordak's docs recommend
(one database transaction, a Transaction row and two Legs); balances are read both
ways hordak offers: `account.get_balance()` per account, and the single-query
`Account.objects.with_balances()` its docs call the faster one. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from decimal import Decimal
from importlib.metadata import version
from typing import Any

from bench.common import (
    TRANSFER_ACCOUNT_NAMES,
    cpu_ms_per,
    cpu_seconds,
    median_ms,
    run_within,
    transfer_plan,
)

BALANCE_READS = 50


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.hordak_settings"
    import django

    django.setup()


def open_accounts() -> list[Any]:
    from hordak.models import Account, AccountType

    return [
        Account.objects.create(name=name, type=AccountType.asset, currencies=["USD"])
        for name in TRANSFER_ACCOUNT_NAMES
    ]


def post_transfers(
    accounts: list[Any], count: int, budget_s: float
) -> tuple[int, float]:
    """One `transfer_to()` per transfer (it opens its own database transaction)."""
    from moneyed import Money

    def post(step: tuple[int, int, str, date]) -> None:
        source, target, amount, on = step
        accounts[source].transfer_to(
            accounts[target], Money(Decimal(amount), "USD"), date=on
        )

    return run_within(transfer_plan(count), post, budget_s)


def balances_each(accounts: list[Any]) -> list[Any]:
    return [account.get_balance() for account in accounts]


def balances_annotated(ids: list[int]) -> list[Any]:
    from hordak.models import Account

    return [
        account.balance
        for account in Account.objects.filter(pk__in=ids).with_balances()
    ]


def transfers(count: int, budget_s: float) -> dict[str, Any]:
    from django.db import connection

    accounts = open_accounts()
    ids = [account.pk for account in accounts]
    before = cpu_seconds(connection)
    done, seconds = post_transfers(accounts, count, budget_s)
    cpu = cpu_ms_per(before, cpu_seconds(connection), done)
    started = time.perf_counter()
    balances = balances_each(accounts)
    first_read = (time.perf_counter() - started) * 1000
    each = median_ms(lambda: balances_each(accounts), BALANCE_READS)
    annotated = median_ms(lambda: balances_annotated(ids), BALANCE_READS)
    return {
        "library": f"django-hordak {version('django-hordak')}",
        "database": connection.settings_dict["NAME"],
        "transfers": done,
        "budget_s": budget_s,
        "seconds": round(seconds, 2),
        "transfers_per_s": round(done / seconds, 1),
        "cpu_ms_per_transfer": cpu,
        "balance_read_first_ms": round(first_read, 3),
        "balance_read_each_ms": each,
        "balance_read_with_balances_ms": annotated,
        "balance_read_ms": min(each, annotated),
        "balance_read_method": (
            "fastest of account.get_balance() per account and "
            "Account.objects.with_balances()"
        ),
        "accounts": len(accounts),
        "balances": {
            name: str(balance["USD"].amount)
            for name, balance in zip(TRANSFER_ACCOUNT_NAMES, balances, strict=True)
        },
    }


def main() -> None:
    setup()
    print(json.dumps(transfers(int(sys.argv[1]), float(sys.argv[2]))))


if __name__ == "__main__":
    main()
