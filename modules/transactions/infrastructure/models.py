"""The ledger's tables: entries, their postings, and categories.

Amounts are integer minor units beside their currency code: exact in SQLite and
PostgreSQL, exact in SUM, and cheap to aggregate. Entries and postings are append-only.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.shared.infrastructure.tenancy import TenantOwnedModel
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import Counterpart, EntryKind


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyModel(TenantOwnedModel):
    """Written once. The database refuses changes too on PostgreSQL (a trigger)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class Category(TenantOwnedModel):
    """A label for income or spending; a category with no parent is a group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[
            (CategoryKind.INCOME, _("Income")),
            (CategoryKind.EXPENSE, _("Expense")),
        ],
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("group"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("kind", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "kind", "parent", "name"), name="category_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Entry(AppendOnlyModel):
    """One transaction as the person sees it: payee, description, date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(
        _("type"), max_length=20, choices=[(k.value, k.value) for k in EntryKind]
    )
    occurred_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ("-occurred_on", "-created_at")
        indexes = [
            models.Index(
                fields=("tenant", "-occurred_on", "-created_at"),
                name="entry_tenant_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class Posting(AppendOnlyModel):
    """One line of an entry: an amount on a person's account or on a counterpart line."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    counterpart = models.CharField(
        max_length=20,
        blank=True,
        default="",
        choices=[(c.value, c.value) for c in Counterpart],
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    occurred_on = models.DateField()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(account__isnull=True) & ~Q(counterpart=""))
                | Q(account__isnull=False, counterpart=""),
                name="posting_account_xor_counterpart",
            ),
            models.CheckConstraint(
                condition=~Q(amount_minor=0), name="posting_not_zero"
            ),
        ]
        indexes = [
            models.Index(
                fields=("tenant", "account", "currency"),
                include=("amount_minor",),
                name="posting_balance",
            ),
            models.Index(
                fields=("tenant", "account", "occurred_on"), name="posting_account_date"
            ),
            models.Index(
                fields=("tenant", "category", "occurred_on"),
                name="posting_category_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_minor} {self.currency}"


class MonthlyTotal(TenantOwnedModel):
    """The read model: the sum of one ledger line's postings in one month.

    A line is a person's account, or a counterpart (income, expense, equity) with
    its category. Written in the same transaction as the postings it sums, so a
    balance or a month's spending costs O(months), not O(postings). The postings
    stay the truth: `ledger_check` compares the two and `rebuild_rollups` redoes
    these rows from the postings.
    """

    line = models.CharField(max_length=80)
    month = models.DateField()
    currency = models.CharField(max_length=3)
    account = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counterpart = models.CharField(max_length=20, blank=True, default="")
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_minor = models.BigIntegerField(default=0)
    postings = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly total")
        verbose_name_plural = _("monthly totals")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "line", "currency", "month"),
                name="monthly_total_line_month",
            )
        ]
        indexes = [
            models.Index(
                fields=("tenant", "account", "month"),
                include=("amount_minor",),
                name="monthly_total_account",
            ),
            models.Index(
                fields=("tenant", "counterpart", "month"),
                name="monthly_total_counterpart",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month:%Y-%m}: {self.amount_minor} {self.currency}"
