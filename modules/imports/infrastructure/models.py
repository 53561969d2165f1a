"""Statement imports, their rows, the keys of what they recorded, saved CSV mappings
and categorisation rules. The ledger's tables are never touched: a row points at
the transaction it became by id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.imports.domain.dedupe import RowAction, RowStatus
from modules.imports.domain.imports import ImportStatus
from modules.imports.domain.rules import Direction
from modules.imports.domain.statements import StatementFormat
from modules.shared.domain.money import Money
from modules.shared.infrastructure.tenancy import TenantOwnedModel

STATUS_LABELS = {
    ImportStatus.MAPPING: _("Waiting for the column mapping"),
    ImportStatus.PENDING: _("Waiting"),
    ImportStatus.PARSING: _("Reading the file"),
    ImportStatus.READY: _("Ready to review"),
    ImportStatus.RECORDING: _("Recording"),
    ImportStatus.RECORDED: _("Recorded"),
    ImportStatus.FAILED: _("Failed"),
    ImportStatus.UNDONE: _("Undone"),
}
ROW_STATUS_LABELS = {
    RowStatus.NEW: _("New"),
    RowStatus.DUPLICATE: _("Already imported"),
    RowStatus.MATCH: _("Possible match"),
}
ACTION_LABELS = {
    RowAction.RECORD: _("Record"),
    RowAction.LINK: _("Link to the existing transaction"),
    RowAction.SKIP: _("Skip"),
}
FORMAT_LABELS = {
    StatementFormat.CSV: "CSV",
    StatementFormat.OFX: "OFX / QFX",
    StatementFormat.QIF: "QIF",
    StatementFormat.CAMT053: "CAMT.053",
    StatementFormat.MT940: "MT940",
}


class ImportProfile(TenantOwnedModel):
    """A bank's CSV layout, confirmed once and offered for the next file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=80)
    mapping = models.JSONField(_("column mapping"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "name"), name="import_profile_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StatementImport(TenantOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account_id = models.UUIDField(_("account"))
    profile = models.ForeignKey(
        ImportProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profile"),
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("file"))
    format = models.CharField(
        _("format"), max_length=10, choices=list(FORMAT_LABELS.items()), blank=True
    )
    mapping = models.JSONField(_("column mapping"), null=True, blank=True)
    source_account = models.CharField(
        _("account in the file"), max_length=80, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=list(STATUS_LABELS.items()),
        default=ImportStatus.PENDING,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.JSONField(_("error"), null=True, blank=True)
    skipped = models.JSONField(_("skipped lines"), default=list, blank=True)
    requested_by = models.UUIDField(_("asked for by"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=("tenant", "-created_at"), name="import_tenant_recent")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} {self.status}"


class ImportRow(TenantOwnedModel):
    """One statement line as read, how it was classified, what the person chose and
    the transaction it became (`entry_id`) or was linked to (`match_entry_id`)."""

    id = models.BigAutoField(primary_key=True)
    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.CASCADE, related_name="rows"
    )
    position = models.PositiveIntegerField()
    line = models.PositiveIntegerField(_("line"))
    occurred_on = models.DateField(_("date"))
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(max_length=3)
    payee = models.CharField(_("payee"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=400, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=list(ROW_STATUS_LABELS.items())
    )
    action = models.CharField(
        _("what to do"), max_length=6, choices=list(ACTION_LABELS.items())
    )
    category_id = models.UUIDField(_("category"), null=True, blank=True)
    transfer_to = models.UUIDField(_("transfer to"), null=True, blank=True)
    match_entry_id = models.UUIDField(_("matches"), null=True, blank=True)
    entry_id = models.UUIDField(_("transaction"), null=True, blank=True)
    # A split line's shares: [{"amount": "-15.00", "name", "memo", "category_id"}].
    splits = models.JSONField(_("splits"), default=list, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ("statement_import", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "statement_import", "position"),
                name="import_row_unique_position",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.amount_minor} {self.currency}"

    @property
    def money(self) -> Money:
        return Money.from_minor(self.amount_minor, self.currency)

    @property
    def shares(self) -> list[SplitShare]:
        return [
            SplitShare(
                money=Money(Decimal(share["amount"]), self.currency),
                name=share["name"],
                memo=share["memo"],
                category_id=UUID(share["category_id"])
                if share["category_id"]
                else None,
            )
            for share in self.splits
        ]


@dataclass(frozen=True, kw_only=True)
class SplitShare:
    """A share of a split line: `name` is the statement's category for it."""

    money: Money
    name: str
    memo: str
    category_id: UUID | None


class ImportedKey(TenantOwnedModel):
    """The memory of dedupe: a key an account has recorded (or linked), and from
    which import. Undoing an import forgets its keys."""

    id = models.BigAutoField(primary_key=True)
    account_id = models.UUIDField()
    key = models.CharField(max_length=120)
    text = models.CharField(max_length=400, blank=True)
    occurred_on = models.DateField()
    entry_id = models.UUIDField()
    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.CASCADE, related_name="keys"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "account_id", "key"), name="imported_key_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=("tenant", "account_id", "occurred_on"),
                name="imported_key_account_date",
            )
        ]

    def __str__(self) -> str:
        return self.key


class ImportRule(TenantOwnedModel):
    """A categorisation rule: text, amount, account and direction conditions; a
    category, a payee and/or a transfer account as its actions (ADR 0017)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveIntegerField(_("order"), default=0)
    conditions = models.JSONField(_("text conditions"), default=list, blank=True)
    amount_min = models.DecimalField(
        _("amount from"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("amount up to"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    account_id = models.UUIDField(_("account"), null=True, blank=True)
    direction = models.CharField(
        _("direction"),
        max_length=3,
        blank=True,
        choices=[(Direction.IN, _("Money in")), (Direction.OUT, _("Money out"))],
    )
    category_id = models.UUIDField(_("set category"), null=True, blank=True)
    payee = models.CharField(_("rename payee to"), max_length=120, blank=True)
    transfer_to = models.UUIDField(_("mark as transfer to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ("position", "created_at")
        indexes = [
            models.Index(fields=("tenant", "position"), name="import_rule_order")
        ]

    def __str__(self) -> str:
        return self.name
