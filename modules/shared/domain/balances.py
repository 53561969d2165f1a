"""How a person reads a balance. The ledger's sums are signed (money into an account
is positive); people read a liability as what they owe, so a positive amount. This is
the one place that rule lives: accounts shows balances with it, the ledger turns the
amounts people give back into its own sign with it."""

from __future__ import annotations

from modules.shared.domain.money import Money


def as_shown(raw: Money, *, liability: bool) -> Money:
    """The ledger's signed sum as the person reads it (what is owed, for a liability)."""
    return -raw if liability else raw


def as_raw(shown: Money, *, liability: bool) -> Money:
    """An amount in the person's sense (owed, for a liability) as the ledger signs it."""
    return as_shown(shown, liability=liability)
