"""Bytes to text, and the small value parsers every format shares."""

from __future__ import annotations

import re
from decimal import Decimal

from charset_normalizer import from_bytes

from modules.imports.domain.statements import StatementError
from modules.shared.domain.text import gettext_noop

BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# What banks in the markets we serve write; charset-normalizer chooses among them.
CANDIDATES = ["utf_8", "cp1252", "latin_1", "iso8859_15"]
SAMPLE = 256 * 1024
NOT_AN_AMOUNT = gettext_noop("“%(value)s” is not an amount.")


def decode(data: bytes, encoding: str = "") -> str:
    """The file's text: the named encoding, else its BOM, else UTF-8 when it is
    valid, else what charset-normalizer finds most likely (Windows-1252 at worst,
    which reads every byte)."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError):
            raise StatementError(
                gettext_noop("The file is not in the %(encoding)s encoding."),
                encoding=encoding,
            ) from None
    for bom, name in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:SAMPLE], cp_isolation=CANDIDATES).best()
    name = best.encoding if best is not None else "cp1252"
    return data.decode(name, errors="replace")


AMOUNT_JUNK = re.compile(r"[\s\u00a0'$€£¥₹]|[A-Z]{3}$|^[A-Z]{3}")
# `1,234.56`, `1234.56`, `.5`: thousands grouped by three, digits on at least one side.
POINT_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?")
COMMA_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)?(?:,(\d+))?")
# `-8,78` in a file read with a decimal point: two decimals after a lone comma.
LONE_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def parse_amount(
    text: str, *, decimal_comma: bool = False, signed: bool = True
) -> Decimal:
    """The one amount grammar of every format: digits, thousands grouped by three,
    an optional fraction, at most one sign (a leading `-` or `+`, a trailing `-`,
    or parentheses) and currency signs or codes around them: `-1.234,56`,
    `(12.00)`, `$1,036.47`, `12.00-` -> a signed Decimal. No exponent, `NaN` or
    `Infinity`. `signed=False` refuses any sign (a format that gives the direction
    apart, CAMT). Raises ValueError when the text is not an amount."""
    sign, cleaned = _sign(AMOUNT_JUNK.sub("", text.strip().upper()))
    if sign and not signed:
        raise ValueError(text)
    comma = decimal_comma or LONE_DECIMAL_COMMA.fullmatch(cleaned) is not None
    number = (COMMA_NUMBER if comma else POINT_NUMBER).fullmatch(cleaned)
    if number is None or not any(number.groups()):
        raise ValueError(text)
    whole, fraction = number.groups()
    digits = re.sub(r"\D", "", whole or "0")
    value = Decimal(f"{digits}.{fraction}" if fraction is not None else digits)
    return -value if sign == "-" else value


def _sign(cleaned: str) -> tuple[str, str]:
    """The one sign an amount may carry, and the rest."""
    if cleaned.startswith("(") and cleaned.endswith(")"):
        return "-", cleaned[1:-1]
    if cleaned.endswith("-"):
        return "-", cleaned[:-1]
    if cleaned.startswith(("-", "+")):
        return cleaned[0], cleaned[1:]
    return "", cleaned


def clean(text: str) -> str:
    """Inner runs of spaces to one, ends trimmed."""
    return " ".join(text.split())
