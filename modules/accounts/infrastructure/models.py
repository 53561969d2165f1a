"""A person's financial accounts. Balances are not stored: they are the sum of the
account's postings in the ledger."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.accounts.domain.accounts import AccountKind
from modules.shared.infrastructure.tenancy import TenantOwnedModel

KIND_LABELS = {
    AccountKind.CHECKING: _("Checking"),
    AccountKind.SAVINGS: _("Savings"),
    AccountKind.CASH: _("Cash"),
    AccountKind.WALLET: _("Wallet"),
    AccountKind.CREDIT_CARD: _("Credit card"),
    AccountKind.INVESTMENT: _("Investment"),
    AccountKind.PROPERTY: _("Property"),
    AccountKind.VEHICLE: _("Vehicle"),
    AccountKind.LOAN: _("Loan"),
    AccountKind.OTHER: _("Other"),
}


class Account(TenantOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=list(KIND_LABELS.items()))
    currency = models.CharField(_("currency"), max_length=3)
    institution = models.CharField(_("institution"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ("name", "id")
        indexes = [
            models.Index(
                fields=("tenant", "archived_at", "name"), name="account_tenant_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class ExchangeRate(TenantOwnedModel):
    """A rate the person entered: 1 `base` = `rate` `quote` on `day`.

    The rate is kept as its decimal text: exact on SQLite too (no float column).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    base = models.CharField(_("from currency"), max_length=3)
    quote = models.CharField(_("to currency"), max_length=3)
    day = models.DateField(_("date"))
    rate = models.CharField(_("rate"), max_length=40)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("-day", "base", "quote")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "base", "quote", "day"), name="exchange_rate_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} 1 {self.base} = {self.rate} {self.quote}"


class ReferenceRate(models.Model):
    """A published reference rate (the ECB's, loaded by `load_exchange_rates`, or
    entered by an admin): the same for every tenant, so it has none."""

    source = models.CharField(_("source"), max_length=20)
    base = models.CharField(_("from currency"), max_length=3)
    quote = models.CharField(_("to currency"), max_length=3)
    day = models.DateField(_("date"))
    rate = models.CharField(_("rate"), max_length=40)

    class Meta:
        verbose_name = _("reference exchange rate")
        verbose_name_plural = _("reference exchange rates")
        ordering = ("-day", "base", "quote")
        constraints = [
            models.UniqueConstraint(
                fields=("base", "quote", "day", "source"), name="reference_rate_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day} 1 {self.base} = {self.rate} {self.quote}"
