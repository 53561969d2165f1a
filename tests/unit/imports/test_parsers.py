"""The readers' rules: detection by content, encodings, quirks, and errors that name
the line."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from modules.imports.domain.mapping import CsvMapping, date_formats_for
from modules.imports.domain.statements import StatementError, StatementFormat
from modules.imports.infrastructure.parsers.reader import FileStatementReader
from modules.imports.infrastructure.parsers.text import decode, parse_amount
from tests.unit.imports.test_statement_samples import SAMPLES, read

reader = FileStatementReader()
SIMPLE = CsvMapping(date="Date", amount="Amount", payee="Payee")


def csv(text: str, mapping: CsvMapping = SIMPLE, encoding: str = "utf-8") -> list:
    return reader.read(text.encode(encoding), mapping=mapping).rows


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("-36,99", True, "-36.99"),
        ("1.234,56", True, "1234.56"),
        ("$1,036.47", False, "1036.47"),
        ("(12.00)", False, "-12.00"),
        ("12.00-", False, "-12.00"),
        ("-8,78", False, "-8.78"),
        ("€ 5", False, "5"),
        ("+5", False, "5"),
        ("1,234", False, "1234"),
        (".5", False, "0.5"),
        ("EUR 1.234.567,8", True, "1234567.8"),
    ],
)
def test_amounts_as_banks_write_them(text: str, comma: bool, expected: str) -> None:
    assert parse_amount(text, decimal_comma=comma) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "-",
        "lots",
        "56.77invalid",
        "1.2.3",
        "--5",
        "(-5)",
        "-5-",
        "NaN",
        "Infinity",
        "-inf",
        "1E3",
        "1e-2",
        "12,34,5",
        "1234,567",
        "5.",
    ],
)
def test_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_amount(text)


def test_encodings_bom_utf8_and_windows_1252() -> None:
    assert decode("\ufeffCafé".encode()) == "Café"
    assert decode("Café €5".encode("cp1252")) == "Café €5"
    assert decode("Müller".encode("latin-1")).startswith("M")
    assert decode("Café".encode("latin-1"), "latin-1") == "Café"
    with pytest.raises(StatementError):
        decode(b"\xff\xfe\xfa", "utf-8")


def test_a_csv_in_windows_1252_with_a_bom_header_reads() -> None:
    rows = csv("Date,Amount,Payee\n2026-01-02,-5.00,Café €\n", encoding="cp1252")
    assert rows[0].payee == "Café €"
    rows = reader.read(
        b"\xef\xbb\xbfDate,Amount,Payee\n2026-01-02,1,A\n", mapping=SIMPLE
    ).rows
    assert rows[0].amount == 1


def test_the_format_is_told_by_content_not_name() -> None:
    for name, expected in [
        ("ofxparse__checking.ofx", StatementFormat.OFX),
        ("ofxparse__suncorp.ofx", StatementFormat.OFX),
        ("qif2json__utf8.qif", StatementFormat.QIF),
        ("genkgo__camt053.v2.multi.statement.xml", StatementFormat.CAMT053),
        ("csv2ofx__schwab-checking.csv", StatementFormat.CSV),
    ]:
        assert reader.detect((SAMPLES / name).read_bytes()) is expected
    with pytest.raises(StatementError):
        reader.detect(b"\x00\x01binary")


def test_a_csv_without_a_mapping_is_refused() -> None:
    with pytest.raises(StatementError, match="column mapping"):
        reader.read(b"Date,Amount\n2026-01-01,1\n")


def test_csv_errors_name_the_line() -> None:
    with pytest.raises(StatementError) as bad_amount:
        csv("Date,Amount,Payee\n2026-01-02,1,A\n2026-01-03,lots,B\n")
    assert bad_amount.value.line == 3
    assert bad_amount.value.describe() == "Line 3: “lots” is not an amount."
    with pytest.raises(StatementError) as bad_date:
        csv(
            "Date,Amount,Payee\n2026-01-02,1,A\n31/02/2026,1,B\n",
            CsvMapping(date="Date", amount="Amount", date_format="%Y-%m-%d"),
        )
    assert bad_date.value.line == 3
    with pytest.raises(StatementError, match="no column “Betrag”"):
        csv("Date,Amount\n2026-01-02,1\n", CsvMapping(date="Date", amount="Betrag"))
    with pytest.raises(StatementError, match="No date format"):
        csv("Date,Amount,Payee\nsoon,1,A\n")


def test_date_formats_are_detected_and_ambiguity_is_left_to_the_person() -> None:
    assert date_formats_for(["22.02.18"]) == ["%d.%m.%y"]
    assert date_formats_for(["13/04/2018", "18/04/2018"]) == ["%d/%m/%Y"]
    assert date_formats_for(["04/05/2024"])[:2] == ["%d/%m/%Y", "%m/%d/%Y"]
    assert date_formats_for([""]) == []


def test_the_mapping_page_guesses_separator_header_and_dates() -> None:
    sample = reader.sample(
        (SAMPLES / "bank2ynab__TransactionHistory_20180418043121.csv").read_bytes()
    )
    assert sample.separator == "," and sample.skip_rows == 5
    assert sample.header[:2] == ["Transaction date", "Value date"]
    assert sample.date_formats["Transaction date"] == ["%d/%m/%Y"]
    german = reader.sample(
        (SAMPLES / "bank2ynab__20180226-1000594757-umsatz.CSV").read_bytes()
    )
    assert german.separator == ";" and german.header[1] == "Buchungstag"


def test_a_mapping_needs_an_amount_and_known_choices() -> None:
    with pytest.raises(Exception, match="amount column"):
        CsvMapping(date="Date")
    with pytest.raises(Exception, match="separator"):
        CsvMapping(date="Date", amount="A", separator="x")
    assert CsvMapping.from_dict({**SIMPLE.as_dict(), "unknown": 1}) == SIMPLE


def test_continuation_lines_join_the_description_above() -> None:
    rows = read("bank2ynab__TransactionHistory_20180418043121.csv").rows
    assert (
        rows[0].description
        == "DEBIT PURCHASE 15/04/18 66-6666 UBER EATS AN2GO HELP.UBERh"
    )
    assert rows[0].amount == Decimal("-6.66") and rows[0].on == date(2018, 4, 18)


def test_ofx_quirks() -> None:
    oneline = read("asgrim__ofxdata-oneline.ofx")
    assert (
        sum(
            1
            for r in oneline.rows
            if r.amount in {Decimal(-80), Decimal(-600), Decimal(-1000)}
        )
        == 3
    )
    brazil = read("asgrim__ofxdata-bb-two-stmtrs.ofx")
    assert brazil.accounts == ["655000-2"] and brazil.currency == "BRL"
    assert any("CRÉDITO" in r.description for r in brazil.rows)
    suncorp = read("ofxparse__suncorp.ofx").rows[0]
    assert suncorp.payee == "EFTPOS WDL HANDYWAY ALDI STORE" and suncorp.bank_id == "1"
    qfx = read("qfxparser__test.qfx")
    assert [(s.line, s.value) for s in qfx.skipped] == [(62, "56.77invalid")]
    cafe = read("actual__utf-8.qfx").rows[0]
    assert cafe.payee == "Café Métro €uro" and cafe.on == date(2022, 10, 19)
    check = read("ofxparse__checking.ofx").rows[2]
    assert check.reference == "319" and check.amount == Decimal("-25.00")


def test_broken_ofx_is_refused_with_its_line() -> None:
    with pytest.raises(StatementError, match="no <OFX> body"):
        reader.read(b"OFXHEADER:100\nDATA:OFXSGML\n")
    body = b"OFXHEADER:100\n<OFX>\n<STMTTRN>\n<TRNAMT>1\n<DTPOSTED>2026\n</STMTTRN>\n</OFX>"
    with pytest.raises(StatementError) as error:
        reader.read(body)
    assert error.value.line == 3
    with pytest.raises(StatementError, match="not closed"):
        reader.read(b"OFXHEADER:100\n<OFX>\n<STMTTRN>\n<TRNAMT>1\n")


def test_qif_splits_dates_and_sections() -> None:
    quiffen = read("quiffen__test.qif")
    mobile = next(r for r in quiffen.rows if r.payee == "T-Mobile")
    assert [s.amount for s in mobile.splits] == [Decimal("-15.00"), Decimal("82.50")]
    assert (
        mobile.on == date(2020, 2, 14)
        and mobile.category == "Bills:Cell Phone/Test class"
    )
    amazon = next(r for r in quiffen.rows if r.payee == "Amazon.com")
    assert len(amazon.splits) == 4
    xero = read("csv2ofx__xero.qif")
    assert xero.accounts == ["Income", "Cash", "Checking"]
    assert [len(xero.for_account(a).rows) for a in xero.accounts] == [1, 3, 1]
    bom = read("qif2json__utf8.qif").rows[0]
    assert bom.on == date(2010, 3, 3) and bom.payee == "SOME £$™€ CHARACTERS"


def test_broken_qif_is_refused_with_its_line() -> None:
    with pytest.raises(StatementError) as error:
        reader.read(b"!Type:Bank\nD01/02/2026\nT-5\n^\nD13/45/2026\nT1\n^\n")
    assert error.value.line == 5
    with pytest.raises(StatementError, match="splits add up"):
        reader.read(b"!Type:Bank\nD01/02/2026\nT-5\nSFood\n$-4\n^\n")
    with pytest.raises(StatementError, match="no date"):
        reader.read(b"!Type:Bank\nT-5\n^\n")


def test_camt_entries_and_errors() -> None:
    moov = read("moov__FI_camt_053_sample.xml.xml")
    assert moov.currency == "EUR" and moov.accounts == ["FI7433010001222090"]
    assert moov.rows[0].bank_id == "091029ACCTSTMTARCH01"
    genkgo = read("genkgo__camt053.v2.multi.statement.xml")
    assert [r.amount for r in genkgo.rows] == [Decimal("8.85"), Decimal("-7.00")]
    with pytest.raises(StatementError, match="not well formed"):
        reader.read(b"<Document><BkToCstmrStmt><Stmt>")
    broken = (
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        b"<Stmt><Ntry><Amt>x</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>"
    )
    with pytest.raises(StatementError) as error:
        reader.read(broken)
    assert error.value.describe() == "Line 1: “x” is not an amount."


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-12.00", "+12.00", "1.2E1"])
def test_a_camt_amount_is_unsigned_digits_and_its_line_is_named(amount: str) -> None:
    broken = (
        '<?xml version="1.0"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n'
        "<BkToCstmrStmt><Stmt>\n"
        "<Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
        "<BookgDt><Dt>2026-01-02</Dt></BookgDt></Ntry>\n"
        f"<Ntry>\n<Amt>{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>"
        "<BookgDt><Dt>2026-01-02</Dt></BookgDt></Ntry>\n"
        "</Stmt></BkToCstmrStmt></Document>"
    ).encode()
    with pytest.raises(StatementError) as error:
        reader.read(broken)
    assert error.value.describe() == f"Line 5: “{amount}” is not an amount."


def test_one_amount_grammar_in_every_format() -> None:
    with pytest.raises(StatementError, match="1,2,3"):
        csv('Date,Amount,Payee\n2026-01-02,"1,2,3",Shop\n')
    qif = reader.read(b"!Type:Bank\nD01/02/2026\nTNaN\n^\n")
    assert [s.value for s in qif.skipped] == ["NaN"]
    ofx = reader.read(
        b"OFXHEADER:100\n<OFX><STMTTRN><TRNAMT>1E3<DTPOSTED>20260102</STMTTRN></OFX>"
    )
    assert ofx.rows == [] and [s.value for s in ofx.skipped] == ["1E3"]
