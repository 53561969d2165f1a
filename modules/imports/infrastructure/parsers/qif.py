"""QIF: bank, cash and credit-card sections, with splits; other sections are passed
over (categories, classes, investments, securities)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from modules.imports.domain.statements import (
    SkippedRow,
    Split,
    Statement,
    StatementFormat,
    StatementRow,
    line_error,
)
from modules.imports.infrastructure.parsers.text import (
    NOT_AN_AMOUNT,
    clean,
    parse_amount,
)
from modules.shared.domain.text import gettext_noop

CASH_SECTIONS = {"bank", "cash", "ccard", "oth a", "oth l"}
QIF_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*(['/.-])\s*(\d{2,4})\s*$")
HEADER = re.compile(r"^!(type:|account|option|clear)", re.IGNORECASE)


def looks_like_qif(text: str) -> bool:
    return any(
        HEADER.match(line.strip()) for line in text.lstrip("\ufeff").splitlines()[:50]
    )


@dataclass
class _Record:
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    splits: list[dict[str, str]] = field(default_factory=list)


def read_qif(text: str) -> Statement:
    rows: list[StatementRow] = []
    skipped: list[SkippedRow] = []
    section, account, in_account_block = "", "", False
    record: _Record | None = None
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("!"):
            record = _flush(record, section, account, rows, skipped)
            tag = line[1:].strip().lower()
            in_account_block = tag == "account"
            if tag.startswith("type:"):
                section = tag[5:].strip()
            continue
        code, value = line[0], line[1:].strip()
        if in_account_block:
            if code == "N":
                account = value
            elif code == "^":
                in_account_block = False
            continue
        if code == "^":
            record = _flush(record, section, account, rows, skipped)
            continue
        if record is None:
            record = _Record(line=number)
        _add(record, code, value)
    _flush(record, section, account, rows, skipped)
    return Statement(format=StatementFormat.QIF, rows=rows, skipped=skipped)


def _add(record: _Record, code: str, value: str) -> None:
    if code == "S":
        record.splits.append({"S": value})
    elif code in "E$" and record.splits:
        record.splits[-1].setdefault(code, value)
    else:
        record.fields.setdefault(code, value)


def _flush(
    record: _Record | None,
    section: str,
    account: str,
    rows: list[StatementRow],
    skipped: list[SkippedRow],
) -> None:
    if record is None or section not in CASH_SECTIONS:
        return None
    fields = record.fields
    raw = fields.get("T") or fields.get("U", "")
    try:
        amount = parse_amount(raw)
    except ValueError:
        skipped.append(SkippedRow(line=record.line, reason=NOT_AN_AMOUNT, value=raw))
        return None
    if "D" not in fields:
        raise line_error(record.line, gettext_noop("the transaction has no date (D)."))
    rows.append(
        StatementRow(
            line=record.line,
            on=_date(fields["D"], record.line),
            amount=amount,
            payee=clean(fields.get("P", "")),
            description=clean(fields.get("M", "")),
            reference=fields.get("N", ""),
            account=account,
            category=fields.get("L", ""),
            splits=_splits(record, amount),
        )
    )
    return None


def _splits(record: _Record, total: Decimal) -> tuple[Split, ...]:
    splits = []
    for split in record.splits:
        try:
            amount = parse_amount(split.get("$", ""))
        except ValueError:
            raise line_error(
                record.line,
                gettext_noop("a split amount “%(value)s” is not an amount."),
                value=split.get("$", ""),
            ) from None
        splits.append(
            Split(amount=amount, category=split["S"], memo=split.get("E", ""))
        )
    if splits and sum(s.amount for s in splits) != total:
        raise line_error(
            record.line,
            gettext_noop("the splits add up to %(splits)s, not %(total)s."),
            splits=str(sum(s.amount for s in splits)),
            total=str(total),
        )
    return tuple(splits)


def _date(text: str, line: int) -> date:
    """Quicken writes month first (`2/14'2020`, `01/23/2015`, `03/03/10`); a first
    number above 12 can only be a day. An apostrophe marks the 2000s."""
    match = QIF_DATE.match(text)
    if match is None:
        raise line_error(line, gettext_noop("“%(value)s” is not a date."), value=text)
    first, second, mark, year_text = match.groups()
    month, day = int(first), int(second)
    if month > 12:
        month, day = day, month
    year = int(year_text)
    if len(year_text) <= 2:
        year += 2000 if mark == "'" or year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise line_error(
            line, gettext_noop("“%(value)s” is not a date."), value=text
        ) from None
