"""Rules a module above the ledger may apply to a transaction entered by hand, before
it is recorded (the imports module's categorisation rules, ADR 0017). Plugged in when
that module's app starts; with none plugged in, a command is recorded as given.

Whether the tenant has any rules is read with the write's accounts (`exist`, an SQL
expression), so a tenant without rules pays no statement for them (ADR 0023)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression

from modules.transactions.application.use_cases import RecordFlow


@dataclass(frozen=True)
class EntryRules:
    exist: Callable[[], Expression]
    """True when the current tenant has rules; evaluated inside the accounts read."""
    apply: Callable[[RecordFlow], RecordFlow]


_rules: EntryRules | None = None


def connect_entry_rules(rules: EntryRules) -> None:
    global _rules
    _rules = rules


def rules_exist() -> Expression | None:
    return _rules.exist() if _rules else None


def apply_entry_rules(command: RecordFlow) -> RecordFlow:
    """The command as the plugged-in rules complete it."""
    return _rules.apply(command) if _rules else command
