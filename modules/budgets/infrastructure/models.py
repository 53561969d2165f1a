"""Budgets, and the alerts already sent for them."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.budgets.domain.periods import PeriodKind
from modules.shared.infrastructure.tenancy import TenantOwnedModel


class Budget(TenantOwnedModel):
    """A limit per period on a category, or on a group and its categories."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=80)
    category = models.ForeignKey(
        "transactions.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category or group"),
    )
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=[
            (PeriodKind.WEEK, _("Weekly")),
            (PeriodKind.MONTH, _("Monthly")),
            (PeriodKind.YEAR, _("Yearly")),
        ],
    )
    currency = models.CharField(_("currency"), max_length=3)
    limit_minor = models.BigIntegerField(_("limit (minor units)"))
    rollover = models.BooleanField(_("roll over what is left"), default=False)
    starts_on = models.DateField(_("starts on"))
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ("name", "id")
        indexes = [
            models.Index(fields=("tenant", "name", "id"), name="budget_tenant_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetAlert(TenantOwnedModel):
    """A threshold a budget reached in one period: one row, so one alert."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts")
    period_starts_on = models.DateField(_("period starts on"))
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("budget alert")
        verbose_name_plural = _("budget alerts")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "budget", "period_starts_on", "threshold"),
                name="budget_alert_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.period_starts_on} {self.threshold}%"
