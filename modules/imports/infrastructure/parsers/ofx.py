"""OFX 1.x (SGML, leaf tags unclosed), OFX 2.x (XML) and QFX: one tolerant reader.

Both are a stream of `<TAG>value` tokens; reading them as such (not as a document)
takes in what banks really send: unclosed and closed leaf tags mixed, CDATA, the whole
body on one line, two statements in one transaction wrapper. It never expands
entities, so it is safe with any input.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from modules.imports.domain.statements import (
    SkippedRow,
    Statement,
    StatementError,
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

TOKEN = re.compile(r"<(/?)([A-Za-z0-9._]+)\s*>([^<]*)")
CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
STATEMENTS = {"STMTRS", "CCSTMTRS"}


def looks_like_ofx(text: str) -> bool:
    head = text[:4096].upper()
    return "OFXHEADER" in head or "<OFX>" in head


@dataclass
class _Open:
    line: int
    fields: dict[str, str] = field(default_factory=dict)


def read_ofx(text: str) -> Statement:
    body = CDATA.sub(lambda m: html.escape(m.group(1), quote=False), text)
    if "<OFX>" not in body.upper():
        raise StatementError(gettext_noop("This OFX file has no <OFX> body."))
    rows: list[StatementRow] = []
    skipped: list[SkippedRow] = []
    account = currency = ""
    tx: _Open | None = None
    newlines = _LineCounter(body)
    for match in TOKEN.finditer(body):
        closing, tag, value = match.group(1), match.group(2).upper(), match.group(3)
        value = html.unescape(value).strip()
        if tag in STATEMENTS and not closing:
            account = ""
        elif tag == "STMTTRN":
            if closing and tx is not None:
                _finish(tx, account, rows, skipped)
                tx = None
            elif not closing:
                if tx is not None:
                    _finish(tx, account, rows, skipped)
                tx = _Open(line=newlines(match.start()))
        elif closing:
            continue
        elif tx is not None and value:
            tx.fields.setdefault(tag, value)
        elif tag == "ACCTID" and value:
            account = value
        elif tag == "CURDEF" and value and not currency:
            currency = value.upper()
    if tx is not None:
        raise line_error(tx.line, gettext_noop("a transaction is not closed."))
    return Statement(
        format=StatementFormat.OFX, rows=rows, skipped=skipped, currency=currency
    )


class _LineCounter:
    """offset -> 1-based line number, for offsets that only grow."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def __call__(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _finish(
    tx: _Open, account: str, rows: list[StatementRow], skipped: list[SkippedRow]
) -> None:
    fields = tx.fields
    raw_amount = fields.get("TRNAMT", "")
    try:
        amount = parse_amount(raw_amount)
    except ValueError:
        skipped.append(SkippedRow(line=tx.line, reason=NOT_AN_AMOUNT, value=raw_amount))
        return
    on = _date(fields.get("DTPOSTED") or fields.get("DTUSER", ""), tx.line)
    name, memo = clean(fields.get("NAME", "")), clean(fields.get("MEMO", ""))
    rows.append(
        StatementRow(
            line=tx.line,
            on=on,
            amount=amount,
            payee=name or fields.get("PAYEEID", ""),
            description=memo if memo != name else "",
            reference=fields.get("CHECKNUM", "") or fields.get("REFNUM", ""),
            bank_id=fields.get("FITID", ""),
            account=account,
        )
    )


def _date(text: str, line: int) -> date:
    digits = text.strip()[:8]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise line_error(
            line, gettext_noop("%(value)r is not an OFX date."), value=text
        ) from None
