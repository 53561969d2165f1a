"""How to read one bank's CSV: the columns and conventions a person confirms once and
keeps as an import profile."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d.%m.%y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%Y%m%d",
)
SEPARATORS = (",", ";", "\t", "|")


@dataclass(frozen=True, kw_only=True)
class CsvMapping:
    """Columns are named by their header text (any case). `skip_rows` lines come
    before the header. Either `amount` (signed) or `debit` and/or `credit`
    (unsigned: out and in) must be given."""

    date: str
    date_format: str = ""
    amount: str = ""
    debit: str = ""
    credit: str = ""
    payee: str = ""
    description: str = ""
    reference: str = ""
    separator: str = ","
    encoding: str = ""
    skip_rows: int = 0
    decimal_comma: bool = False

    def __post_init__(self) -> None:
        if not self.amount and not (self.debit or self.credit):
            raise ValidationError.for_field(
                "mapping.amount",
                gettext_noop(
                    "Name the amount column, or the debit and credit columns."
                ),
                code="required",
            )
        if self.separator not in SEPARATORS:
            raise ValidationError.for_field(
                "mapping.separator", gettext_noop("Choose a separator from the list.")
            )
        if self.date_format and self.date_format not in DATE_FORMATS:
            raise ValidationError.for_field(
                "mapping.date_format",
                gettext_noop("Choose a date format from the list."),
            )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CsvMapping:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def parse_date(text: str, date_format: str) -> date:
    return datetime.strptime(text.strip(), date_format).date()


def date_formats_for(values: list[str]) -> list[str]:
    """The formats that read every one of `values`, most likely first: the person
    confirms when more than one fits (04/05/2024)."""
    present = [v.strip() for v in values if v.strip()]
    fitting = []
    for candidate in DATE_FORMATS:
        try:
            for value in present:
                parse_date(value, candidate)
        except ValueError:
            continue
        fitting.append(candidate)
    return fitting if present else []
