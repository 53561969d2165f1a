"""A person's loans, what re-planned them and the payments made, for their export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F, QuerySet

from modules.loans.infrastructure.models import Loan, LoanEvent, LoanPayment
from modules.shared.application.exports import ExportSection, Row, with_amounts

CHUNK = 2000
LOAN_COLUMNS = (
    "id", "name", "account_id", "paid_from_id", "interest_category_id", "principal",
    "currency", "annual_rate", "term_months", "first_payment_on", "method",
    "recurring_payments", "archived_at", "created_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "loan_id", "kind", "occurs_on", "amount", "currency", "effect", "annual_rate",
    "entry_id", "created_at",
)  # fmt: skip
PAYMENT_COLUMNS = (
    "loan_id", "number", "paid_on", "principal", "interest", "currency", "entry_id",
    "created_at",
)  # fmt: skip


def _rows(
    queryset: QuerySet[Any], columns: tuple[str, ...], minor: dict[str, str]
) -> Iterator[Row]:
    """Rows with amounts as decimal strings; events and payments take the loan's
    currency."""
    stored = [c for c in columns if c not in minor.values() and c != "currency"]
    currency = F("currency") if queryset.model is Loan else F("loan__currency")
    rows = queryset.annotate(in_currency=currency).values(
        *stored, *minor, "in_currency"
    )
    for row in rows.iterator(chunk_size=CHUNK):
        row["currency"] = row.pop("in_currency")
        yield with_amounts(row, minor)


def export_sections() -> list[ExportSection]:
    loans = Loan.objects.order_by("created_at", "id")
    events = LoanEvent.objects.order_by("occurs_on", "created_at", "id")
    payments = LoanPayment.objects.order_by("loan_id", "number")
    tables = (
        ("loans", loans, LOAN_COLUMNS, {"principal_minor": "principal"}),
        ("loan_events", events, EVENT_COLUMNS, {"amount_minor": "amount"}),
        (
            "loan_payments",
            payments,
            PAYMENT_COLUMNS,
            {"principal_minor": "principal", "interest_minor": "interest"},
        ),
    )
    return [
        ExportSection(
            name=name,
            columns=columns,
            rows=lambda q=queryset, c=columns, m=minor: _rows(q, c, m),
            count=queryset.count,
        )
        for name, queryset, columns, minor in tables
    ]
