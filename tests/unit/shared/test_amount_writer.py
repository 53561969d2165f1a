"""The fast amount writer of long series says exactly what Money would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modules.shared.domain.money import Money, amount_writer, minor_units


@given(
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    st.sampled_from(["EUR", "JPY", "KWD", "CLF"]),
)
def test_minor_units_are_written_as_money_writes_them(
    minor: int, currency: str
) -> None:
    text = amount_writer(minor_units(currency))
    assert text(minor) == Money.from_minor(minor, currency).to_string()
