"""Spanish is complete for what exists, and the compiled catalogue matches its source."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[3] / "locale"


def catalogue(language: str, kind: str) -> dict[object, object]:
    path = LOCALE / language / "LC_MESSAGES" / f"django.{kind}"
    with path.open("rb") as handle:
        messages = read_po(handle) if kind == "po" else read_mo(handle)
    return {normal(message.id): message for message in messages if message.id}


def translated(string: object) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


def normal(string: object) -> object:
    return tuple(string) if isinstance(string, tuple | list) else string


def test_every_spanish_message_is_translated_and_not_fuzzy() -> None:
    missing = [
        message.id
        for message in catalogue("es", "po").values()
        if not translated(message.string) or message.fuzzy  # type: ignore[attr-defined]
    ]
    assert missing == [], "translate these in locale/es/LC_MESSAGES/django.po"


@pytest.mark.parametrize("language", ["en", "es"])
def test_compiled_catalogue_is_up_to_date(language: str) -> None:
    source = {
        key: normal(message.string)  # type: ignore[attr-defined]
        for key, message in catalogue(language, "po").items()
        if translated(message.string)  # type: ignore[attr-defined]
    }
    compiled = {key: normal(m.string) for key, m in catalogue(language, "mo").items()}  # type: ignore[attr-defined]
    assert compiled == source, "run `make compilemessages`"
