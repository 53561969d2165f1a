"""Loans: their terms, the events that re-plan them and the payments recorded.

The schedule is not stored: it is recomputed from these rows. Amounts are integer
minor units in the loan's currency.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.loans.domain.schedule import ExtraEffect, Method
from modules.shared.infrastructure.tenancy import TenantOwnedModel

METHOD_LABELS = {
    Method.ANNUITY: _("Annuity (the same payment every month)"),
    Method.LINEAR: _("Linear (the same principal every month)"),
    Method.INTEREST_ONLY: _("Interest only (the principal at the end)"),
}
EFFECT_LABELS = {
    ExtraEffect.SHORTER_TERM: _("Shorter term, same payment"),
    ExtraEffect.LOWER_PAYMENT: _("Lower payment, same end date"),
}


class Loan(TenantOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    account = models.OneToOneField(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("loan account"),
    )
    paid_from = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("paid from"),
    )
    interest_category = models.ForeignKey(
        "transactions.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("interest category"),
    )
    currency = models.CharField(_("currency"), max_length=3)
    principal_minor = models.BigIntegerField(_("principal (minor units)"))
    annual_rate = models.DecimalField(
        _("annual rate (%)"), max_digits=7, decimal_places=4
    )
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    first_payment_on = models.DateField(_("first payment"))
    method = models.CharField(
        _("method"), max_length=20, choices=list(METHOD_LABELS.items())
    )
    recurring_payments = models.BooleanField(
        _("recurring payments"),
        default=False,
        help_text=_("Each payment is recorded on its date from the paying account."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ("name", "id")
        indexes = [
            models.Index(
                fields=("tenant", "archived_at", "name"), name="loan_tenant_list"
            ),
            models.Index(
                fields=("tenant",),
                condition=Q(recurring_payments=True, archived_at__isnull=True),
                name="loan_recurring_payments",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LoanEvent(TenantOwnedModel):
    """Something that re-plans the rest of a loan: an extra payment or a new rate."""

    class Kind(models.TextChoices):
        EXTRA_PAYMENT = "extra_payment", _("Extra payment")
        RATE_CHANGE = "rate_change", _("Rate change")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurs_on = models.DateField(_("from"))
    amount_minor = models.BigIntegerField(_("amount (minor units)"), null=True)
    effect = models.CharField(
        _("effect"), max_length=20, blank=True, choices=list(EFFECT_LABELS.items())
    )
    annual_rate = models.DecimalField(
        _("annual rate (%)"), max_digits=7, decimal_places=4, null=True
    )
    entry = models.ForeignKey(
        "transactions.Entry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transaction"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("loan event")
        verbose_name_plural = _("loan events")
        ordering = ("occurs_on", "created_at")
        indexes = [
            models.Index(fields=("tenant", "loan", "occurs_on"), name="loan_event_loan")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurs_on}"


class LoanPayment(TenantOwnedModel):
    """A schedule row paid: the split it was booked with, and its ledger entry."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="payments")
    number = models.PositiveSmallIntegerField(_("number"))
    paid_on = models.DateField(_("paid on"))
    principal_minor = models.BigIntegerField(_("principal (minor units)"))
    interest_minor = models.BigIntegerField(_("interest (minor units)"))
    entry = models.OneToOneField(
        "transactions.Entry",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transaction"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("loan payment")
        verbose_name_plural = _("loan payments")
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "loan", "number"), name="loan_payment_number"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.paid_on}"
