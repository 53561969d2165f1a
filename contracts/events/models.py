"""The events the product publishes: one pydantic model per event type.

Every outbox row is validated against its model when it is written, and the JSON
Schema of each model is exported next to this file for the mobile app
(`make contract` writes it, `make contract-check` fails when it is stale).

A client receives `{"id", "type", "occurred_at", "data"}`; `data` is one of these.
Amounts are decimal strings, never numbers, exactly as in the REST API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

DecimalString = Annotated[
    str,
    Field(
        pattern=r"^-?\d{1,15}(\.\d{1,4})?$",
        description="An exact decimal amount as a string, in the currency's units.",
        examples=["-12.50"],
    ),
]
CurrencyCode = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code.", examples=["EUR"])
]


class EventData(BaseModel):
    """Base of every event's data; `event_type` is the envelope's `type`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    event_type: ClassVar[str]


class PostingData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: UUID | None = Field(
        description="One of the person's accounts, or null for a counterpart line."
    )
    counterpart: (
        Literal[
            "income",
            "expense",
            "opening_balance",
            "adjustment",
            "exchange",
            "revaluation",
        ]
        | None
    ) = Field(description="The outside of the books this line stands for, if any.")
    category_id: UUID | None
    amount: DecimalString
    currency: CurrencyCode


class TransactionCreated(EventData):
    """A transaction was recorded: money in, money out, a transfer, a reversal, an
    opening balance or a balance adjustment."""

    event_type: ClassVar[str] = "transaction.created"

    transaction_id: UUID
    kind: Literal[
        "inflow",
        "outflow",
        "transfer",
        "opening_balance",
        "adjustment",
        "reversal",
        "revaluation",
    ]
    occurred_on: date
    payee: str
    description: str
    reverses: UUID | None = Field(description="The transaction this one reverses.")
    postings: list[PostingData] = Field(min_length=2)


class TransactionsRecorded(EventData):
    """A batch of transactions was recorded at once (an import): refresh the lists.
    Each account's new balance follows in one `balance.updated`."""

    event_type: ClassVar[str] = "transactions.recorded"

    transaction_ids: list[UUID] = Field(min_length=1, max_length=500)


class BalanceUpdated(EventData):
    """An account's balance changed. Liabilities read as what is owed (positive)."""

    event_type: ClassVar[str] = "balance.updated"

    account_id: UUID
    account_name: str
    transaction_id: UUID = Field(
        description="The transaction that changed it (the last one, for a batch)."
    )
    balance: DecimalString
    previous_balance: DecimalString
    currency: CurrencyCode
    account_class: Literal["asset", "liability"]


class NotificationCreated(EventData):
    """A new in-app notification; `unread_count` is the person's count after it."""

    event_type: ClassVar[str] = "notification.created"

    notification_id: UUID
    kind: str = Field(examples=["account_overdrawn"])
    title: str = Field(description="In the person's language at the time it was made.")
    unread_count: int = Field(ge=0)


class NotificationsRead(EventData):
    """Notifications were marked read (or unread) somewhere: keep every bell right."""

    event_type: ClassVar[str] = "notifications.read"

    unread_count: int = Field(ge=0)


class BudgetThresholdCrossed(EventData):
    """A budget's spending reached 80% or 100% of its limit in its current period.
    Sent once per threshold and period: spending that falls back and rises again
    does not repeat it."""

    event_type: ClassVar[str] = "budget.threshold_crossed"

    budget_id: UUID
    budget_name: str
    threshold: Literal[80, 100] = Field(description="Percent of the limit reached.")
    period_starts_on: date
    period_ends_on: date
    limit: DecimalString = Field(description="This period's limit, rollover included.")
    spent: DecimalString
    remaining: DecimalString
    percent_used: DecimalString
    currency: CurrencyCode


class TenantCreated(EventData):
    """A person signed up: their tenant exists. Modules that give a new tenant its
    starting data (the ledger's categories) react to it."""

    event_type: ClassVar[str] = "tenant.created"

    locale: str = Field(description="The language the person chose at sign-up.")


class ExportProgress(EventData):
    """The export the person asked for moved on: how much of it is written."""

    event_type: ClassVar[str] = "export.progress"

    export_id: UUID
    progress: int = Field(ge=0, le=100, description="Percent of the rows written.")


class ImportProgress(EventData):
    """A statement import moved on: reading and classifying, or recording."""

    event_type: ClassVar[str] = "import.progress"

    import_id: UUID
    stage: Literal["parsing", "recording"]
    status: Literal[
        "mapping",
        "pending",
        "parsing",
        "ready",
        "recording",
        "recorded",
        "failed",
        "undone",
    ]
    progress: int = Field(ge=0, le=100, description="Percent of the stage done.")


class ExportReady(EventData):
    """The export is written and can be downloaded until `expires_at`."""

    event_type: ClassVar[str] = "export.ready"

    export_id: UUID
    expires_at: datetime
    size_bytes: int = Field(ge=0)


class BillOverdue(EventData):
    """A bill's due date has passed and it is neither paid nor skipped (sent once
    per bill and date)."""

    event_type: ClassVar[str] = "bill.overdue"

    rule_id: UUID
    name: str
    due_on: date
    amount: DecimalString
    currency: CurrencyCode
    account_id: UUID
    payee: str


class ForecastShortfall(EventData):
    """An asset account's 30-day forecast newly goes below zero (once per account
    and first day below zero)."""

    event_type: ClassVar[str] = "forecast.shortfall"

    account_id: UUID
    account_name: str
    first_on: date = Field(description="The first day the balance is below zero.")
    lowest: DecimalString
    lowest_on: date
    currency: CurrencyCode


EVENT_TYPES: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        TransactionCreated,
        TransactionsRecorded,
        BalanceUpdated,
        NotificationCreated,
        NotificationsRead,
        BudgetThresholdCrossed,
        TenantCreated,
        ExportProgress,
        ExportReady,
        ImportProgress,
        BillOverdue,
        ForecastShortfall,
    )
}


class UnknownEventType(ValueError):
    pass


def validate_event(event_type: str, data: object) -> EventData:
    """The model of `event_type` built from `data`; raises on any mismatch."""
    try:
        model = EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None
    return model.model_validate(data)
