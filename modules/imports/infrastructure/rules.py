"""The rules of the current tenant, as the import sees them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from modules.imports.domain.rules import Movement, Outcome, apply_rules
from modules.imports.domain.statements import StatementRow
from modules.imports.infrastructure.rule_store import load_rules


class RuleCategoriser:
    def outcomes(self, account_id: UUID, rows: Sequence[StatementRow]) -> list[Outcome]:
        rules = load_rules()
        if not rules:
            return [Outcome()] * len(rows)
        return [
            apply_rules(
                rules,
                Movement(
                    account_id=account_id,
                    amount=row.amount,
                    payee=row.payee,
                    description=row.description,
                ),
            )
            for row in rows
        ]
