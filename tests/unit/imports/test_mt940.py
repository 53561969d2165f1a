"""MT940: fields and their continuation lines, the three shapes of `:86:`, the
bank's reference as the row's id, balances that must add up, errors that name the
line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from modules.imports.domain.statements import StatementError, StatementFormat
from modules.imports.infrastructure.parsers.reader import FileStatementReader
from tests.unit.imports.test_statement_samples import read

reader = FileStatementReader()
HEAD = ":20:REF\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C260101EUR100,00\n"


def mt940(body: str, closing: str = "") -> bytes:
    return (HEAD + body + (closing or "") + "-\n").encode()


def test_dutch_details_and_the_bank_reference_as_id() -> None:
    statement = read("team__abnamro-style.sta")
    assert statement.format is StatementFormat.MT940
    assert statement.currency == "EUR" and statement.accounts == ["NL91ABNA0417164300"]
    first = statement.rows[0]
    assert (first.on, first.amount) == (date(2023, 12, 1), Decimal("-42.50"))
    assert first.payee == "ENECO SERVICES BV"
    assert first.description == "KLANTNR 4411 TERMIJN DECEMBER"
    assert first.bank_id == "B3L01AB12CD34EF" and first.reference == ""
    assert statement.rows[2].description.startswith("BEA NR:5K2X01")


def test_german_quirks_latin1_crlf_marks_and_new_year() -> None:
    rows = read("team__sparkasse-quirks.sta").rows
    telekom, rent, reversal, transfer = rows
    assert telekom.payee == "TELEKOM DEUTSCHLAND GMBH"  # ?32 + ?33, cut mid-word
    assert telekom.description == "Mobilfunk Rechnung 12/2023"  # SVWZ+ of the purpose
    assert (telekom.amount, telekom.bank_id) == (Decimal("-24.99"), "9984327651")
    assert rent.payee == "Müller, Jürgen" and rent.amount == Decimal("500")  # `500,`
    assert rent.on == date(2024, 1, 2)  # booked in the new year, valued in the old
    assert rent.bank_id == "" and rent.reference == ""  # NONREF, no `//`
    assert reversal.amount == Decimal("-10.00")  # RC: a credit reversed
    assert transfer.line == 22 and transfer.amount == Decimal("-1465.01")


def test_a_debit_reversal_is_money_in_and_free_text_is_the_description() -> None:
    statement = reader.read(
        mt940(
            ":61:2601020102RD5,00NMSCOWN-7\n:86:Storno\nLastschrift\n",
            ":62F:C260102EUR105,00\n",
        )
    )
    (row,) = statement.rows
    assert row.amount == Decimal("5.00") and row.reference == "OWN-7"
    assert row.description == "Storno Lastschrift"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (":61:2601020102X5,00NMSCNONREF\n", "Line 5: “2601020102X5,00NMSCNONREF”"),
        (":61:2601020102D5,0,0NMSCNONREF\n", "Line 5: “5,0,0” is not an amount."),
        (":61:2613020102D5,00NMSCNONREF\n", "Line 5: “261302” is not a date."),
        (":61:2601020102D5,00NMSC\n:62F:C260102EUR100,00\n", "Line 6: the closing"),
        (":61:2601020102D5,00NMSC\n:62F:C260102EURx\n", "Line 6: “C260102EURx”"),
    ],
)
def test_a_broken_file_names_its_line(body: str, message: str) -> None:
    with pytest.raises(StatementError) as error:
        reader.read(mt940(body))
    assert error.value.describe().startswith(message)


def test_the_swift_envelope_on_lines_of_its_own_is_passed_over() -> None:
    wrapped = (
        b"{1:F01ABNANL2AXXXX0000000000}{2:I940ABNANL2AXXXXN}\n{4:\n"
        + mt940(":61:2601020102D5,00NMSCNONREF\n", ":62F:C260102EUR95,00\n")
        + b"-}{5:{CHK:123456789ABC}}\n"
    )
    assert [row.amount for row in reader.read(wrapped).rows] == [Decimal("-5.00")]


def test_text_before_the_first_field_is_refused() -> None:
    with pytest.raises(StatementError, match="Line 1: “hello” is not an MT940 field"):
        reader.read(b"hello\n" + mt940(""))
