"""django-hordak's side of the ledger benchmark, inside one Django process.

    DJANGO_SETTINGS_MODULE=bench.hordak_settings python -m bench.hordak_side setup EMAIL PASSWORD
    DJANGO_SETTINGS_MODULE=bench.hordak_settings python -m bench.hordak_side balances

`setup` creates the person who calls bench/hordak_urls.py's endpoints (a verified
user, as for our ledger) and four USD asset accounts named as ours; `balances` times
reading every balance in-process both ways hordak offers (`account.get_balance()`
each, and the single-query `Account.objects.with_balances()` its docs call the faster
one), with a kept connection and no HTTP. Each prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from bench.common import TRANSFER_ACCOUNT_NAMES, median_ms

BALANCE_READS = 50


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.hordak_settings"
    import django

    django.setup()


def setup(email: str, password: str) -> dict[str, Any]:
    from django.utils import timezone
    from hordak.models import Account, AccountType

    from modules.identity.infrastructure.models import User

    User.objects.create_user(email, password, email_verified_at=timezone.now())
    accounts = {
        name: str(
            Account.objects.create(
                name=name, type=AccountType.asset, currencies=["USD"]
            ).uuid
        )
        for name in TRANSFER_ACCOUNT_NAMES
    }
    return {"email": email, "accounts": accounts}


def balances() -> dict[str, Any]:
    from hordak.models import Account

    accounts = list(Account.objects.all())
    each = median_ms(lambda: [a.get_balance() for a in accounts], BALANCE_READS)
    annotated = median_ms(
        lambda: [a.balance for a in Account.objects.with_balances()], BALANCE_READS
    )
    return {
        "accounts": len(accounts),
        "get_balance_each_ms": each,
        "with_balances_ms": annotated,
        "balance_read_ms": min(each, annotated),
        "reads": BALANCE_READS,
    }


def main() -> None:
    setup_django()
    command, *rest = sys.argv[1:]
    if command == "setup":
        print(json.dumps(setup(*rest)))
    elif command == "balances":
        print(json.dumps(balances()))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
