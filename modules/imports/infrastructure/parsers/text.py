"""Bytes to text, and the small value parsers every format shares."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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


def parse_amount(text: str, *, decimal_comma: bool = False) -> Decimal:
    """`-1.234,56`, `(12.00)`, `$1,036.47`, `12.00-` -> a signed Decimal; raises
    ValueError when the text is not an amount."""
    cleaned = AMOUNT_JUNK.sub("", text.strip().upper())
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-"):
        negative, cleaned = True, cleaned[:-1]
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif (
        "," in cleaned
        and "." not in cleaned
        and re.fullmatch(r"[-+]?\d+,\d{1,2}", cleaned)
    ):
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?|[-+]?\.\d+", cleaned):
        raise ValueError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    return -value if negative else value


def clean(text: str) -> str:
    """Inner runs of spaces to one, ends trimmed."""
    return " ".join(text.split())
