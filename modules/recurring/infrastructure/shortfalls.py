"""A new shortfall in an account's forecast: announced once, when a balance changes."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from contracts.events.models import BalanceUpdated, ForecastShortfall
from modules.live.api import DeliveredEvent, OutboxWriter
from modules.recurring.infrastructure import selectors
from modules.recurring.infrastructure.models import ShortfallNotice
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.infrastructure.clock import SystemClock

HORIZON_DAYS = 30


def announce_shortfall(event: DeliveredEvent) -> None:
    """On an asset account's new balance, at or above zero: if its 30-day forecast
    goes below zero on a first day not yet announced, raise `forecast.shortfall`.
    Idempotent: the notice row is unique per account and first day."""
    data = event.data
    if not isinstance(data, BalanceUpdated) or data.account_class != "asset":
        return
    report = selectors.forecast(
        today=selectors.owner_today(), days=HORIZON_DAYS, account_id=data.account_id
    )
    forecast = report.accounts[0].forecast
    if not forecast.below_zero or forecast.days[0].minor < 0:
        return  # nothing ahead, or below zero today: that is `account_overdrawn`
    first_on = forecast.below_zero[0]
    try:
        with transaction.atomic():
            ShortfallNotice.objects.create(
                tenant_id=current_tenant_id(),
                account_id=data.account_id,
                first_on=first_on,
            )
    except IntegrityError:
        return  # already announced
    OutboxWriter(SystemClock()).append(
        ForecastShortfall(
            account_id=data.account_id,
            account_name=data.account_name,
            first_on=first_on,
            lowest=forecast.lowest.amount_text(),
            lowest_on=forecast.lowest.on,
            currency=forecast.currency,
        )
    )
