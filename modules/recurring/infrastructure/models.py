"""Recurring rules and their occurrences.

A rule is a template (money in, money out or a transfer) and a schedule. Each due date
becomes one occurrence row, unique per rule and date: recorded (with the transaction
the ledger wrote), skipped, or, for a bill, expected until it is paid. Accounts and
categories are the ledger's; they are referred to by id, not by foreign key, so this
module's tables never hold another module's rows in place.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.recurring.domain.bills import OccurrenceStatus
from modules.recurring.domain.schedules import Frequency
from modules.shared.infrastructure.tenancy import TenantOwnedModel

FREQUENCY_LABELS = {
    Frequency.DAILY: _("Daily"),
    Frequency.WEEKLY: _("Weekly"),
    Frequency.MONTHLY: _("Monthly"),
    Frequency.YEARLY: _("Yearly"),
}
STATUS_LABELS = {
    OccurrenceStatus.RECORDED: _("Recorded"),
    OccurrenceStatus.SKIPPED: _("Skipped"),
    OccurrenceStatus.EXPECTED: _("Expected"),
    OccurrenceStatus.PAID: _("Paid"),
}


class TemplateKind(models.TextChoices):
    INFLOW = "inflow", _("Money in")
    OUTFLOW = "outflow", _("Money out")
    TRANSFER = "transfer", _("Transfer")


class RecurringRule(TenantOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    # The template
    kind = models.CharField(_("type"), max_length=10, choices=TemplateKind.choices)
    account_id = models.UUIDField(_("account"))
    to_account_id = models.UUIDField(_("to account"), null=True, blank=True)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    category_id = models.UUIDField(_("category"), null=True, blank=True)
    payee = models.CharField(_("payee"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The schedule
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=list(FREQUENCY_LABELS.items())
    )
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    day_of_month = models.SmallIntegerField(
        _("day of the month"), null=True, blank=True
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of times"), null=True, blank=True)
    # The state
    is_bill = models.BooleanField(_("bill"), default=False)
    paused = models.BooleanField(_("paused"), default=False)
    swept_through = models.DateField(
        _("handled through"),
        null=True,
        blank=True,
        help_text=_("Every date up to this one has been recorded or expected."),
    )
    next_due_on = models.DateField(_("next date"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("continued as"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("recurring transaction")
        verbose_name_plural = _("recurring transactions")
        ordering = ("name", "id")
        indexes = [
            models.Index(fields=("tenant", "name"), name="recurring_rule_list"),
            models.Index(
                fields=("next_due_on", "tenant"),
                condition=Q(paused=False, next_due_on__isnull=False),
                name="recurring_rule_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="recurring_rule_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="transfer", to_account_id__isnull=False)
                | (~Q(kind="transfer") & Q(to_account_id__isnull=True)),
                name="recurring_rule_transfer_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Occurrence(TenantOwnedModel):
    """One date of one rule, written once when it falls due (or is skipped)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rule = models.ForeignKey(
        RecurringRule, on_delete=models.CASCADE, related_name="occurrences"
    )
    on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=list(STATUS_LABELS.items())
    )
    transaction_id = models.UUIDField(_("transaction"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(
        _("overdue notice sent"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ("on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "rule", "on"), name="occurrence_once_per_rule_date"
            )
        ]
        indexes = [
            models.Index(fields=("tenant", "status", "on"), name="occurrence_by_status")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.on} {self.status}"


class ShortfallNotice(TenantOwnedModel):
    """A forecast shortfall already announced: once per account and first day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account_id = models.UUIDField(_("account"))
    first_on = models.DateField(_("first day below zero"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("forecast shortfall notice")
        verbose_name_plural = _("forecast shortfall notices")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "account_id", "first_on"),
                name="shortfall_once_per_account_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.first_on}"
