"""People, accounts and rules for the recurring tests."""

from __future__ import annotations

import calendar
import uuid
from datetime import date
from typing import Any

from django.utils import timezone

from modules.accounts.api import OpenAccount, open_account
from modules.accounts.api import unit_of_work as accounts_uow
from modules.accounts.domain.accounts import AccountKind
from modules.recurring.application.use_cases import (
    CreateRule,
    ScheduleInput,
    TemplateInput,
    create_rule,
)
from modules.recurring.infrastructure.uow import unit_of_work
from modules.shared.application.tenancy import tenant_scope


def today() -> date:
    return timezone.now().date()


def months_back(on: date, months: int) -> tuple[int, int]:
    index = on.year * 12 + on.month - 1 - months
    return index // 12, index % 12 + 1


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def new_account(
    tenant_id: uuid.UUID, *, opening: str = "1000.00", currency: str = "EUR"
) -> Any:
    with tenant_scope(tenant_id):
        return open_account(
            uow=accounts_uow(),
            command=OpenAccount(
                tenant_id=tenant_id,
                name=f"Checking {currency}",
                kind=AccountKind.CHECKING,
                currency=currency,
                opened_on=date(2020, 1, 1),
                opening_balance=opening,
            ),
        )


def new_rule(
    tenant_id: uuid.UUID,
    account_id: uuid.UUID,
    *,
    starts_on: date,
    frequency: str = "monthly",
    amount: str = "100.00",
    kind: str = "outflow",
    is_bill: bool = False,
    payee: str = "Landlord",
    **schedule: Any,
) -> uuid.UUID:
    with tenant_scope(tenant_id):
        return create_rule(
            uow=unit_of_work(),
            command=CreateRule(
                name="Rent",
                template=TemplateInput(
                    kind=kind, account_id=account_id, amount=amount, payee=payee
                ),
                schedule=ScheduleInput(
                    frequency=frequency, starts_on=starts_on, **schedule
                ),
                is_bill=is_bill,
            ),
        )
