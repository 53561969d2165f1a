"""SWIFT MT940 customer statements (what Dutch and German banks export): fields
`:TAG:` at the start of a line, continued on the lines below. Each `:61:` is one
row and the `:86:` after it tells who and why; `:25:` names the account, `:60F:`/
`:60M:` and `:62F:`/`:62M:` the balances the rows must add up between."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from modules.imports.domain.statements import (
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

FIELD = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
# value date, entry date (MMDD), mark (C, D, RC, RD), funds code, amount, type,
# the account owner's reference, `//` the bank's reference; details on the next line.
STATEMENT_LINE = re.compile(
    r"(\d{6})(\d{4})?(R?[CD])[A-Z]?(\d[\d,]*)([NSF][A-Z0-9]{3})"
    r"([^\n]*?)(?://([^\n]*))?(?:\n(.*))?",
    re.DOTALL,
)
BALANCE = re.compile(r"([CD])(\d{6})([A-Z]{3})(\d[\d,]*)")
# German `:86:`: a business code, then subfields `?20`..`?29` (purpose) and
# `?32`/`?33` (name).
GERMAN = re.compile(r"\d{3}\?")
SUBFIELD = re.compile(r"\?(\d{2})")
# Dutch structured `:86:`: `/NAME/…/REMI/…`.
DUTCH_CODES = re.compile(r"/(NAME|REMI|EREF|TRTP|IBAN|BIC|CSID|MARF|ORDP|BENM)/")
# SEPA keys in a German purpose: `EREF+`, `MREF+`, `SVWZ+`, `ABWA+`…
SEPA_KEY = re.compile(r"[A-Z]{4}\+")
NO_REFERENCE = "NONREF"
NOT_A_STATEMENT_LINE = gettext_noop("“%(value)s” is not an MT940 statement line.")


def looks_like_mt940(text: str) -> bool:
    head = text[:16384]
    return bool(
        re.search(r"^:20:", head, re.MULTILINE)
        and re.search(r"^:(60F|60M|61):", head, re.MULTILINE)
    )


@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def value(self) -> str:
        return "\n".join(self.lines)


@dataclass
class _Balances:
    opening: Decimal | None = None
    moved: Decimal = Decimal(0)


def read_mt940(text: str) -> Statement:
    rows: list[StatementRow] = []
    account = currency = ""
    balances = _Balances()
    pending: tuple[_Field, dict[str, str]] | None = None
    for item in _fields(text):
        if item.tag == "86" and pending is not None:
            pending[1].update(_details(item.value))
            continue
        if pending is not None:
            rows.append(_row(*pending, account=account))
            balances.moved += rows[-1].amount
            pending = None
        if item.tag == "25":
            account = clean(item.value)
        elif item.tag in {"60F", "60M"}:
            balance, code = _balance(item)
            currency = currency or code
            balances = _Balances(opening=balance)
        elif item.tag in {"62F", "62M"}:
            _check(balances, _balance(item)[0], item)
            balances = _Balances()
        elif item.tag == "61":
            pending = (item, {})
    if pending is not None:
        rows.append(_row(*pending, account=account))
    return Statement(format=StatementFormat.MT940, rows=rows, currency=currency)


def _fields(text: str) -> list[_Field]:
    """The file's `:TAG:` fields with their continuation lines; the SWIFT envelope
    (`{1:…}{2:…}{4:`, `-}`) and blank lines are passed over."""
    found: list[_Field] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("{"):
            _, body, after = line.rpartition("{4:")
            line = after if body else ""
        if not line or line in {"-", "-}"} or line.startswith("-}"):
            continue
        match = FIELD.match(line)
        if match is not None:
            found.append(
                _Field(tag=match.group(1), line=number, lines=[match.group(2)])
            )
        elif found:
            found[-1].lines.append(line)
        else:
            raise line_error(
                number, gettext_noop("“%(value)s” is not an MT940 field."), value=line
            )
    return found


def _row(item: _Field, details: dict[str, str], *, account: str) -> StatementRow:
    match = STATEMENT_LINE.fullmatch(item.value)
    if match is None:
        raise line_error(item.line, NOT_A_STATEMENT_LINE, value=item.lines[0])
    value_on, entry_on, mark, amount_text, _kind, own, bank, extra = match.groups()
    amount = _amount(amount_text, item.line)
    on = _date(value_on, item.line)
    if entry_on:
        on = _entry_date(on, entry_on, item.line)
    own = own.strip()
    return StatementRow(
        line=item.line,
        on=on,
        amount=-amount if mark in {"D", "RC"} else amount,
        payee=details.get("payee", ""),
        description=details.get("description", "") or clean(extra or ""),
        reference="" if own.upper() == NO_REFERENCE else own,
        bank_id=(bank or "").strip(),
        account=account,
    )


def _details(text: str) -> dict[str, str]:
    """Who and why, from the three shapes banks write `:86:` in: German subfields,
    Dutch `/CODE/` pairs, or free text."""
    flat = "".join(text.splitlines())
    if GERMAN.match(flat):
        parts = SUBFIELD.split(flat)[1:]
        sub = list(zip(parts[::2], parts[1::2], strict=True))
        purpose = "".join(v for k, v in sub if "20" <= k <= "29" or "60" <= k <= "63")
        return {
            "payee": clean("".join(v for k, v in sub if k in {"32", "33"})),
            "description": clean(_sepa_purpose(purpose)),
        }
    if DUTCH_CODES.search(flat):
        parts = DUTCH_CODES.split(flat)[1:]
        codes = dict(zip(parts[::2], parts[1::2], strict=True))
        return {
            "payee": clean(codes.get("NAME", "").rstrip("/")),
            "description": clean(codes.get("REMI", "").rstrip("/")),
        }
    return {"description": clean(" ".join(text.splitlines()))}


def _sepa_purpose(text: str) -> str:
    """`EREF+…MREF+…SVWZ+why`: the `SVWZ+` part when there is one."""
    purpose = text.partition("SVWZ+")[2]
    return SEPA_KEY.split(purpose, 1)[0] if purpose else text


def _balance(item: _Field) -> tuple[Decimal, str]:
    match = BALANCE.fullmatch(item.value.strip())
    if match is None:
        raise line_error(
            item.line,
            gettext_noop("“%(value)s” is not an MT940 balance."),
            value=item.value,
        )
    mark, on, currency, amount_text = match.groups()
    _date(on, item.line)
    amount = _amount(amount_text, item.line)
    return (-amount if mark == "D" else amount), currency


def _check(balances: _Balances, closing: Decimal, item: _Field) -> None:
    """The rows must take the opening balance to the closing one."""
    if balances.opening is None:
        return
    if balances.opening + balances.moved != closing:
        raise line_error(
            item.line,
            gettext_noop(
                "the closing balance %(closing)s is not the opening balance "
                "%(opening)s plus the transactions (%(moved)s)."
            ),
            closing=str(closing),
            opening=str(balances.opening),
            moved=str(balances.moved),
        )


def _amount(text: str, line: int) -> Decimal:
    """MT940 writes `12,50` and also `12,` (no decimals)."""
    try:
        return parse_amount(text.removesuffix(","), decimal_comma=True, signed=False)
    except ValueError:
        raise line_error(line, NOT_AN_AMOUNT, value=text) from None


def _date(text: str, line: int) -> date:
    """`YYMMDD`; SWIFT years are of this century."""
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise line_error(
            line, gettext_noop("“%(value)s” is not a date."), value=text
        ) from None


def _entry_date(value_on: date, text: str, line: int) -> date:
    """The booking date `MMDD`, in the year of the value date or the one beside it
    when the two straddle New Year."""
    month, day = int(text[:2]), int(text[2:])
    year = value_on.year
    if month - value_on.month > 6:
        year -= 1
    elif value_on.month - month > 6:
        year += 1
    try:
        return date(year, month, day)
    except ValueError:
        raise line_error(
            line, gettext_noop("“%(value)s” is not a date."), value=text
        ) from None
