"""Dedupe never loses nor doubles: keys, classification, and the property that any
statement cut into overlapping date windows, imported in any order, yields exactly
its rows."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from modules.imports.domain.dedupe import (
    Existing,
    RowStatus,
    classify,
    normalised_text,
    row_keys,
)
from modules.imports.domain.statements import StatementRow

ACCOUNT = uuid.UUID(int=1)
START = date(2026, 1, 1)


def row(day: int, amount: str, payee: str = "Cafe", bank_id: str = "") -> StatementRow:
    return StatementRow(
        line=1,
        on=START + timedelta(days=day),
        amount=Decimal(amount),
        payee=payee,
        bank_id=bank_id,
    )


def test_identical_rows_of_one_file_keep_distinct_keys() -> None:
    keys = row_keys(ACCOUNT, [row(0, "-4.50"), row(0, "-4.50"), row(1, "-4.50")])
    assert len(set(keys)) == 3
    assert keys[0].endswith(":0") and keys[1].endswith(":1")


def test_the_bank_id_is_the_key_when_there_is_one() -> None:
    keys = row_keys(ACCOUNT, [row(0, "-1", bank_id="A1"), row(5, "-9", bank_id="A1")])
    assert keys == ["id:A1:0", "id:A1:1"]


def test_text_is_compared_without_case_or_spacing() -> None:
    assert normalised_text(row(0, "1", payee="  CAFÉ   Central ")) == "café central"
    assert row_keys(ACCOUNT, [row(0, "1", payee="CAFE")]) == row_keys(
        ACCOUNT, [row(0, "1", payee="cafe ")]
    )


def test_a_hand_entered_transaction_within_three_days_is_a_match_once() -> None:
    typed = Existing(entry_id=uuid.uuid4(), on=START, amount=Decimal("-10"))
    rows = [row(2, "-10"), row(2, "-10", payee="Other")]
    found = classify(rows, row_keys(ACCOUNT, rows), known=set(), existing=[typed])
    assert [c.status for c in found] == [RowStatus.MATCH, RowStatus.NEW]
    assert found[0].match == typed.entry_id
    far = classify([row(4, "-10")], ["k"], known=set(), existing=[typed])
    assert far[0].status is RowStatus.NEW


def test_an_imported_row_the_bank_re_dated_is_a_match_but_a_real_repeat_is_new() -> (
    None
):
    first = [row(0, "-103", payee="ATM"), row(3, "-20", payee="Shop")]
    keys = row_keys(ACCOUNT, first)
    imported = [
        Existing(
            entry_id=uuid.uuid4(),
            on=r.on,
            amount=r.amount,
            text=normalised_text(r),
            imported_key=k,
        )
        for r, k in zip(first, keys, strict=True)
    ]
    moved = [
        row(0, "-1", payee="Fee"),
        row(3, "-103", payee="ATM"),
        row(3, "-20", payee="Shop"),
    ]
    found = classify(
        moved, row_keys(ACCOUNT, moved), known=set(keys), existing=imported
    )
    assert [c.status for c in found] == [
        RowStatus.NEW,
        RowStatus.MATCH,
        RowStatus.DUPLICATE,
    ]
    # the next statement does not cover day 0: the same purchase two days on is new
    later = [row(2, "-103", payee="ATM")]
    found = classify(
        later, row_keys(ACCOUNT, later), known=set(keys), existing=imported
    )
    assert found[0].status is RowStatus.NEW


days = st.integers(min_value=0, max_value=12)
rows = st.lists(
    st.builds(
        row,
        days,
        st.sampled_from(["-4.50", "-4.50", "-10.00", "25.00", "-103.00"]),
        st.sampled_from(["Cafe", "Cafe", "Shop", "ATM"]),
    ),
    min_size=1,
    max_size=25,
)


def windows(
    statement: list[StatementRow], cuts: list[int], overlaps: list[int]
) -> list[list[StatementRow]]:
    """Whole-day date windows covering the statement, each overlapping the next."""
    dates = sorted({r.on for r in statement})
    starts = sorted({0, *(c % len(dates) for c in cuts)})
    pieces = []
    for i, start in enumerate(starts):
        end = (
            starts[i + 1] - 1 + overlaps[i % len(overlaps)]
            if i + 1 < len(starts)
            else len(dates) - 1
        )
        chosen = set(dates[start : min(end, len(dates) - 1) + 1])
        pieces.append([r for r in statement if r.on in chosen])
    return pieces


def import_all(pieces: list[list[StatementRow]]) -> Counter[tuple[date, Decimal, str]]:
    """Import each piece as the service does: record new rows, link matches."""
    known: dict[str, uuid.UUID] = {}
    ledger: dict[uuid.UUID, tuple[StatementRow, str]] = {}
    for piece in pieces:
        keys = row_keys(ACCOUNT, piece)
        existing = [
            Existing(
                entry_id=e,
                on=r.on,
                amount=r.amount,
                text=normalised_text(r),
                imported_key=k,
            )
            for e, (r, k) in ledger.items()
        ]
        for r, found in zip(
            piece,
            classify(piece, keys, known=set(known), existing=existing),
            strict=True,
        ):
            if found.status is RowStatus.NEW:
                entry = uuid.uuid4()
                ledger[entry] = (r, found.key)
                known[found.key] = entry
            elif found.status is RowStatus.MATCH:
                assert found.match is not None
                known[found.key] = found.match
    return Counter((r.on, r.amount, normalised_text(r)) for r, _ in ledger.values())


@settings(max_examples=150, deadline=None)
@given(
    statement=rows,
    cuts=st.lists(st.integers(min_value=0, max_value=50), max_size=4),
    overlaps=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4),
    order=st.randoms(use_true_random=False),
)
def test_overlapping_pieces_in_any_order_yield_exactly_the_statement(
    statement: list[StatementRow], cuts: list[int], overlaps: list[int], order: object
) -> None:
    statement = sorted(statement, key=lambda r: r.on)
    pieces = windows(statement, cuts, overlaps)
    order.shuffle(pieces)  # type: ignore[attr-defined]
    expected = Counter((r.on, r.amount, normalised_text(r)) for r in statement)
    assert import_all(pieces) == expected
    assert import_all(pieces + pieces) == expected
