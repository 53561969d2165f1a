"""A person's statement imports, what became of each row, their bank profiles and
their rules, for their export (not the uploaded files: their rows are here)."""

from __future__ import annotations

from modules.imports.infrastructure.models import (
    ImportProfile,
    ImportRow,
    ImportRule,
    StatementImport,
)
from modules.shared.application.exports import ExportSection
from modules.shared.infrastructure.exports import model_section

IMPORT_COLUMNS = (
    "id", "account_id", "profile_id", "file_name", "format", "mapping",
    "source_account", "status", "error", "skipped", "created_at", "recorded_at",
    "undone_at",
)  # fmt: skip
ROW_COLUMNS = (
    "statement_import_id", "position", "line", "occurred_on", "amount", "currency",
    "payee", "description", "reference", "status", "action", "category_id",
    "transfer_to", "match_entry_id", "entry_id", "splits",
)  # fmt: skip
PROFILE_COLUMNS = ("id", "name", "mapping", "created_at")
RULE_COLUMNS = (
    "id", "name", "position", "conditions", "amount_min", "amount_max", "account_id",
    "direction", "category_id", "payee", "transfer_to", "created_at",
)  # fmt: skip


def export_sections() -> list[ExportSection]:
    return [
        model_section(
            "imports",
            StatementImport.objects.order_by("created_at", "id"),
            IMPORT_COLUMNS,
        ),
        model_section(
            "import_rows",
            ImportRow.objects.order_by("statement_import__created_at", "position"),
            ROW_COLUMNS,
            {"amount_minor": "amount"},
        ),
        model_section(
            "import_profiles",
            ImportProfile.objects.order_by("created_at", "id"),
            PROFILE_COLUMNS,
        ),
        model_section(
            "import_rules", ImportRule.objects.order_by("position", "id"), RULE_COLUMNS
        ),
    ]
