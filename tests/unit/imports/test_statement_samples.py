"""Every shared sample statement reads, with its row count and amounts exact."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from modules.imports.domain.mapping import CsvMapping
from modules.imports.domain.statements import Statement, StatementFormat
from modules.imports.infrastructure.parsers.reader import FileStatementReader

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
reader = FileStatementReader()

MAPPINGS = {
    "bank2ynab__20180226-1000594757-umsatz.CSV": CsvMapping(
        separator=";",
        date="Buchungstag",
        amount="Betrag",
        payee="Beguenstigter/Zahlungspflichtiger",
        description="Verwendungszweck",
        decimal_comma=True,
    ),
    "bank2ynab__2019-03-02_11-50-46_bunq-statement.csv": CsvMapping(
        date="Date",
        amount="Amount",
        payee="Name",
        description="Description",
        decimal_comma=True,
    ),
    "bank2ynab__TransactionHistory_20180418043121.csv": CsvMapping(
        skip_rows=5,
        date="Transaction date",
        debit="Withdrawals (SGD)",
        credit="Deposits (SGD)",
        description="Description",
    ),
    "bank2ynab__test_BOI_TransactionExport.csv": CsvMapping(
        date="Date", debit="Debit", credit="Credit", description="Details"
    ),
    "csv2ofx__schwab-checking.csv": CsvMapping(
        date="Date",
        debit="Withdrawal",
        credit="Deposit",
        description="Description",
        reference="CheckNumber",
    ),
    "csv2ofx__schwab-checking-baltest-case2.csv": CsvMapping(
        date="Date",
        debit="Withdrawal",
        credit="Deposit",
        description="Description",
        reference="CheckNumber",
    ),
}


def read(name: str) -> Statement:
    return reader.read((SAMPLES / name).read_bytes(), mapping=MAPPINGS.get(name))


def amounts(statement: Statement) -> list[Decimal]:
    return [row.amount for row in statement.rows]


def test_every_sample_is_covered() -> None:
    names = {p.name for p in SAMPLES.iterdir() if p.name != "MANIFEST.md"}
    assert names == set(EXPECTED)


# name -> (format, rows, sum of amounts, rows money in)
EXPECTED = {
    "ofxparse__checking.ofx": (StatementFormat.OFX, 3, Decimal("-59.50"), 1),
    "asgrim__ofxdata-oneline.ofx": (StatementFormat.OFX, 8, None, None),
    "asgrim__ofxdata-bb-two-stmtrs.ofx": (StatementFormat.OFX, 36, None, None),
    "fixofx__creditcard.ofx": (StatementFormat.OFX, 135, None, 3),
    "ofxparse__suncorp.ofx": (StatementFormat.OFX, 1, Decimal("-16.85"), 0),
    "asgrim__ofx-multiple-accounts-xml.ofx": (
        StatementFormat.OFX,
        3,
        Decimal("514.72"),
        2,
    ),
    "qfxparser__test.qfx": (StatementFormat.OFX, 2, None, None),
    "actual__utf-8.qfx": (StatementFormat.OFX, 1, Decimal("-20.00"), 0),
    "quiffen__test.qif": (StatementFormat.QIF, 6, Decimal("-35.50"), 2),
    "csv2ofx__xero.qif": (StatementFormat.QIF, 5, None, None),
    "qif2json__utf8.qif": (StatementFormat.QIF, 1, Decimal("-379.00"), 0),
    "bank2ynab__20180226-1000594757-umsatz.CSV": (
        StatementFormat.CSV,
        1,
        Decimal("-36.99"),
        0,
    ),
    "bank2ynab__2019-03-02_11-50-46_bunq-statement.csv": (
        StatementFormat.CSV,
        7,
        Decimal("-23.82"),
        2,
    ),
    "bank2ynab__TransactionHistory_20180418043121.csv": (
        StatementFormat.CSV,
        8,
        None,
        0,
    ),
    "bank2ynab__test_BOI_TransactionExport.csv": (StatementFormat.CSV, 27, None, 6),
    "csv2ofx__schwab-checking.csv": (StatementFormat.CSV, 4, Decimal("-215.27"), 1),
    "csv2ofx__schwab-checking-baltest-case2.csv": (
        StatementFormat.CSV,
        4,
        Decimal("-215.27"),
        1,
    ),
    "moov__FI_camt_053_sample.xml.xml": (StatementFormat.CAMT053, 10, None, 6),
    "genkgo__camt053.v2.multi.statement.xml": (
        StatementFormat.CAMT053,
        2,
        Decimal("1.85"),
        1,
    ),
    "team__abnamro-style.sta": (StatementFormat.MT940, 4, Decimal("2100.00"), 1),
    "team__sparkasse-quirks.sta": (StatementFormat.MT940, 4, Decimal("-1000.00"), 1),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_reads(name: str) -> None:
    statement = read(name)
    kind, count, total, incoming = EXPECTED[name]
    assert statement.format is kind
    assert len(statement.rows) == count
    if total is not None:
        assert sum(amounts(statement)) == total
    if incoming is not None:
        assert sum(1 for a in amounts(statement) if a > 0) == incoming
    assert all(row.line >= 1 for row in statement.rows)
