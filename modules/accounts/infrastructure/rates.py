"""Exchange rates stored: the person's own and the published reference rates, read
together as one `RateBook` (ADR 0018)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet, Window
from django.db.models.functions import TruncMonth
from django.utils import timezone

from modules.accounts.domain.rates import (
    PERSON,
    PIVOTS,
    Quote,
    Rate,
    RateBook,
    checked_pair,
)
from modules.accounts.infrastructure.models import ExchangeRate, ReferenceRate
from modules.accounts.infrastructure.selectors import CurrencyTotals
from modules.identity import api as identity
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import ConflictError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop


def owner_today(time_zone: str | None = None) -> date:
    """Today where the tenant's owner lives (or in `time_zone`, when the caller has
    read it already): the day totals are converted on."""
    zone = ZoneInfo(time_zone or identity.owner_time_zone())
    return timezone.now().astimezone(zone).date()


def rate_book(
    currencies: Iterable[str], *, since: date, until: date, month_ends: bool = False
) -> RateBook:
    """Every rate between these currencies (and the pivots) dated from `since` to
    `until`, plus each pair's last rate before `since`: four queries. With
    `month_ends`, only each pair's last rate of each month: enough to convert at
    month ends and at `until` (what reports do), at a twentieth of the rows."""
    codes = sorted({*currencies, *PIVOTS})
    rates: list[Rate] = []
    for rows, source in (
        (ExchangeRate.objects.all(), None),
        (ReferenceRate.objects.all(), "source"),
    ):
        pairs = rows.filter(base__in=codes, quote__in=codes)
        earlier = (
            pairs.filter(day__lt=since)
            .values("base", "quote")
            .annotate(last=Max("day"))
            .order_by()
        )
        window = Q(day__gte=since, day__lte=until)
        for row in earlier:
            window |= Q(base=row["base"], quote=row["quote"], day=row["last"])
        fields = ["base", "quote", "day", "rate"] + ([source] if source else [])
        chosen = pairs.filter(window)
        if month_ends:
            chosen = chosen.annotate(
                last=Window(
                    Max("day"),
                    partition_by=[F("base"), F("quote"), TruncMonth("day")],
                )
            ).filter(day=F("last"))
        for found in chosen.values_list(*fields):
            rates.append(
                Rate(
                    base=found[0],
                    quote=found[1],
                    day=found[2],
                    rate=Decimal(found[3]),
                    source=found[4] if source else PERSON,
                )
            )
    return RateBook(rates)


@dataclass(frozen=True, kw_only=True)
class TotalsInBase:
    """Every currency's assets and liabilities together in the base currency, and
    the rates used; the figures are None (and `missing` names why) when a rate is
    missing. Net is assets less liabilities in the base currency, so they add up."""

    currency: str
    assets: Money | None
    liabilities: Money | None
    missing: tuple[str, ...]
    quotes: tuple[Quote, ...]

    @property
    def net(self) -> Money | None:
        if self.assets is None or self.liabilities is None:
            return None
        return self.assets - self.liabilities


def totals_in_base(
    totals: Iterable[CurrencyTotals], base: str, on: date
) -> TotalsInBase:
    """Each currency's assets and liabilities converted once, at the rate of `on`
    or the last before it; no query when every total is in the base currency."""
    by_currency = {total.currency: total for total in totals}
    others = sorted(code for code in by_currency if code != base)
    book = rate_book([*others, base], since=on, until=on) if others else None
    own = by_currency.get(base)
    assets = own.assets if own else Money.zero(base)
    liabilities = own.liabilities if own else Money.zero(base)
    missing, quotes = [], []
    for code in others:
        quote = book.quote(code, base, on) if book else None
        if quote is None:
            missing.append(code)
            continue
        quotes.append(quote)
        assets = assets + quote.convert(by_currency[code].assets)
        liabilities = liabilities + quote.convert(by_currency[code].liabilities)
    return TotalsInBase(
        currency=base,
        assets=None if missing else assets,
        liabilities=None if missing else liabilities,
        missing=tuple(missing),
        quotes=tuple(quotes),
    )


def person_rates() -> QuerySet[ExchangeRate]:
    return ExchangeRate.objects.all()


def add_rate(*, base: str, quote: str, day: date, rate: Decimal) -> ExchangeRate:
    """The person's rate for one pair and day; a second one for that day is a
    conflict (rates are facts of a day, not edited)."""
    base, quote = checked_pair(base, quote)
    try:
        with transaction.atomic():
            return ExchangeRate.objects.create(
                tenant_id=current_tenant_id(),
                base=base,
                quote=quote,
                day=day,
                rate=format(rate, "f"),
            )
    except IntegrityError:
        raise ConflictError(
            gettext_noop("There is already a rate for this pair on this date."),
            code="RATE_EXISTS",
        ) from None


def load_reference_rates(rates: Iterable[Rate]) -> int:
    """Insert or update published rates (a file loaded twice changes nothing)."""
    rows = [
        ReferenceRate(
            source=rate.source,
            base=rate.base,
            quote=rate.quote,
            day=rate.day,
            rate=format(rate.rate, "f"),
        )
        for rate in rates
    ]
    ReferenceRate.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=("base", "quote", "day", "source"),
        update_fields=("rate",),
    )
    return len(rows)
