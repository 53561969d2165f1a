"""A balance as people read it: a liability shows what is owed as a positive amount."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modules.shared.domain.balances import as_raw, as_shown
from modules.shared.domain.money import Money

amounts = st.integers(min_value=-(10**12), max_value=10**12).map(
    lambda minor: Money.from_minor(minor, "EUR")
)


def test_an_asset_reads_as_the_ledger_sums_it() -> None:
    assert as_shown(Money.of("12.50", "EUR"), liability=False) == Money.of(
        "12.50", "EUR"
    )


def test_a_liability_reads_as_what_is_owed() -> None:
    assert as_shown(Money.of("-12.50", "EUR"), liability=True) == Money.of(
        "12.50", "EUR"
    )


@given(amounts, st.booleans())
def test_raw_undoes_shown(raw: Money, liability: bool) -> None:
    assert as_raw(as_shown(raw, liability=liability), liability=liability) == raw
