"""People for the live-updates benchmark, written straight into its database.

    python -m bench.live_people PEOPLE WITH_ACCOUNTS

creates PEOPLE verified users (each with their own tenant and profile, as
`User.objects.create_user` makes them, but in bulk and without a usable password: they
never sign in), opens an empty EUR cash account for the first WITH_ACCOUNTS of them
through the accounts use case, and prints one JSON line:
`[{"user_id", "access", "account_id"}]` with a fresh access token for each
(account_id is null for those without an account).

Starter categories (a signal on profile creation) are skipped: nothing here needs them.
No opening balance either: it is a ledger entry with its own events, ~50 ms per
account, so the benchmark records money coming in (never an overdraft notice).
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from typing import Any

BATCH = 1_000


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def create_people(count: int) -> list[Any]:
    """Tenants, users and profiles in bulk, in the order given."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from modules.identity.infrastructure.models import Profile, Tenant, User

    now = timezone.now()
    tenants = Tenant.objects.bulk_create(
        [Tenant() for _ in range(count)], batch_size=BATCH
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"live-{index:05d}@bench.example",
                tenant=tenant,
                email_verified_at=now,
                password=make_password(None),  # unusable: no hashing to pay for
            )
            for index, tenant in enumerate(tenants)
        ],
        batch_size=BATCH,
    )
    Profile.all_tenants.bulk_create(
        [Profile(tenant=user.tenant, user=user) for user in users], batch_size=BATCH
    )
    return users


def open_cash_account(user: Any) -> str:
    """One empty EUR cash account, as the API opens it."""
    from modules.accounts.api import unit_of_work as accounts_uow
    from modules.accounts.application.use_cases import OpenAccount, open_account
    from modules.accounts.domain.accounts import AccountKind
    from modules.shared.application.tenancy import tenant_scope

    with tenant_scope(user.tenant_id):
        account = open_account(
            uow=accounts_uow(),
            command=OpenAccount(
                tenant_id=user.tenant_id,
                name="Wallet",
                kind=AccountKind.CASH,
                currency="EUR",
                opened_on=date.today(),
            ),
        )
    return str(account.id)


def main() -> None:
    setup()
    from modules.identity.infrastructure.tokens import SessionRefreshToken

    count, with_accounts = int(sys.argv[1]), int(sys.argv[2])
    started = time.perf_counter()
    users = create_people(count)
    accounts = [open_cash_account(user) for user in users[:with_accounts]]
    people = [
        {
            "user_id": str(user.id),
            "access": str(SessionRefreshToken.for_user(user).access_token),
            "account_id": accounts[index] if index < len(accounts) else None,
        }
        for index, user in enumerate(users)
    ]
    print(
        f"{len(people)} people in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    print(json.dumps(people))


if __name__ == "__main__":
    main()
