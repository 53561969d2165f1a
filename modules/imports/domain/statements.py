"""What a bank statement says, whatever its format: rows of signed amounts by date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from modules.shared.domain.errors import FieldProblem, ValidationError
from modules.shared.domain.text import gettext_noop


class StatementFormat(StrEnum):
    CSV = "csv"
    OFX = "ofx"
    QIF = "qif"
    CAMT053 = "camt053"
    MT940 = "mt940"


@dataclass(frozen=True, slots=True, kw_only=True)
class Split:
    amount: Decimal
    category: str = ""
    memo: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRow:
    """One booked line. `amount` is signed: positive is money in, negative money out.
    `line` is where it starts in the file (1-based); `bank_id` is the bank's own id
    of the transaction (OFX FITID, CAMT AcctSvcrRef), when it gives one."""

    line: int
    on: date
    amount: Decimal
    payee: str = ""
    description: str = ""
    reference: str = ""
    bank_id: str = ""
    account: str = ""
    category: str = ""
    splits: tuple[Split, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedRow:
    """A line the statement holds but that cannot be recorded, and why: `reason` is
    a message id with a `%(value)s` placeholder."""

    line: int
    reason: str
    value: str = ""


@dataclass(frozen=True, kw_only=True)
class Statement:
    format: StatementFormat
    rows: list[StatementRow]
    skipped: list[SkippedRow] = field(default_factory=list)
    currency: str = ""

    @property
    def accounts(self) -> list[str]:
        """The accounts of the bank this file speaks of, in the order they appear."""
        return list(dict.fromkeys(row.account for row in self.rows if row.account))

    def for_account(self, account: str) -> Statement:
        rows = [row for row in self.rows if row.account == account]
        return Statement(
            format=self.format, rows=rows, skipped=self.skipped, currency=self.currency
        )


Translate = Callable[[str], str]


def _same(message: str) -> str:
    return message


class StatementError(ValidationError):
    """The file cannot be read as a statement. `what` is a message id with
    `%(name)s` placeholders filled from `params`; `line` says where (0: the file as
    a whole). Kept apart so each door can say it in the reader's language."""

    code = "INVALID_STATEMENT"

    def __init__(self, what: str, *, line: int = 0, **params: object) -> None:
        self.what = what
        self.line = line
        self.params = params
        text = self.describe()
        problem = FieldProblem(field="file", code="invalid_statement", message=text)
        super().__init__(text, details=(problem,))

    def describe(self, translate: Translate = _same) -> str:
        what = (
            translate(self.what) % self.params if self.params else translate(self.what)
        )
        if not self.line:
            return what
        return translate(LINE_PREFIX) % {"line": self.line, "what": what}


LINE_PREFIX = gettext_noop("Line %(line)s: %(what)s")


def line_error(line: int, what: str, **params: object) -> StatementError:
    """`what` is wrong on `line` of the file."""
    return StatementError(what, line=line, **params)
