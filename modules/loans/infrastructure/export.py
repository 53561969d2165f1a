"""A person's loans, what re-planned them and the payments made, for their export."""

from __future__ import annotations

from modules.loans.infrastructure.models import Loan, LoanEvent, LoanPayment
from modules.shared.application.exports import ExportSection
from modules.shared.infrastructure.exports import model_section

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


def export_sections() -> list[ExportSection]:
    """Events and payments are in their loan's currency."""
    return [
        model_section(
            "loans",
            Loan.objects.order_by("created_at", "id"),
            LOAN_COLUMNS,
            {"principal_minor": "principal"},
        ),
        model_section(
            "loan_events",
            LoanEvent.objects.order_by("occurs_on", "created_at", "id"),
            EVENT_COLUMNS,
            {"amount_minor": "amount"},
            currency="loan__currency",
        ),
        model_section(
            "loan_payments",
            LoanPayment.objects.order_by("loan_id", "number"),
            PAYMENT_COLUMNS,
            {"principal_minor": "principal", "interest_minor": "interest"},
            currency="loan__currency",
        ),
    ]
