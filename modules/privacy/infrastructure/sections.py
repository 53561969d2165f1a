"""Every module's part of an export, in the order the zip lists them."""

from __future__ import annotations

from modules.accounts import api as accounts
from modules.budgets import api as budgets
from modules.identity import api as identity
from modules.imports import api as imports
from modules.loans import api as loans
from modules.notifications import api as notifications
from modules.recurring import api as recurring
from modules.shared.application.exports import ExportSection
from modules.transactions import api as transactions


def all_sections() -> list[ExportSection]:
    """The current tenant's data, each module's sections as it describes them."""
    return [
        *identity.export_sections(),
        *accounts.export_sections(),
        *transactions.export_sections(),
        *budgets.export_sections(),
        *recurring.export_sections(),
        *loans.export_sections(),
        *imports.export_sections(),
        *notifications.export_sections(),
    ]
