"""Rules a module above the ledger may apply to a transaction entered by hand, before
it is recorded (the imports module's categorisation rules, ADR 0017). Plugged in when
that module's app starts; with none plugged in, a command is recorded as given."""

from __future__ import annotations

from collections.abc import Callable

from modules.transactions.application.use_cases import Command, RecordFlow

EntryRules = Callable[[RecordFlow], RecordFlow]
_rules: EntryRules | None = None


def connect_entry_rules(rules: EntryRules) -> None:
    global _rules
    _rules = rules


def with_entry_rules(command: Command) -> Command:
    """The command as the plugged-in rules complete it (money in or out only)."""
    if _rules is None or not isinstance(command, RecordFlow):
        return command
    return _rules(command)
