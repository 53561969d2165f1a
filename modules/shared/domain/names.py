"""Names people give things (accounts, categories, payees): one spelling per name,
and never a name nobody can see."""

from __future__ import annotations

import unicodedata

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop

# Control and format characters (zero-width space and joiners, direction marks),
# separators, and combining marks with nothing to combine with show nothing alone.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
INVISIBLE_NAME = gettext_noop("Use at least one visible letter, digit or symbol.")


def normalize_name(text: str) -> str:
    """NFC (so "é" typed two ways is one name), runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_visible(text: str) -> bool:
    return any(
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        and not unicodedata.combining(char)
        for char in text
    )


def clean_name(text: str, *, field: str, empty_message: str) -> str:
    """A required name, normalised; empty or invisible-only names are refused."""
    name = normalize_name(text)
    if not name:
        raise ValidationError.for_field(field, empty_message, code="required")
    if not is_visible(name):
        raise ValidationError.for_field(field, INVISIBLE_NAME, code="invisible")
    return name


def clean_optional_name(text: str, *, field: str) -> str:
    """An optional name (a payee): empty stays empty, invisible-only is refused."""
    name = normalize_name(text)
    if name and not is_visible(name):
        raise ValidationError.for_field(field, INVISIBLE_NAME, code="invisible")
    return name
