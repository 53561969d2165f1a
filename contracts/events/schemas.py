"""Export (and check) the JSON Schema of every event next to its model.

python -m contracts.events.schemas          # write contracts/events/*.schema.json
python -m contracts.events.schemas --check  # exit 1 when a file is missing or stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from contracts.events.models import EVENT_TYPES, EventData

HERE = Path(__file__).resolve().parent
ENVELOPE_KEYS = ("id", "sequence", "type", "occurred_at", "data")


def schema_of(event_type: str, model: type[EventData]) -> dict[str, object]:
    data_schema = model.model_json_schema()
    definitions = data_schema.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://finance.example/contracts/events/{event_type}.schema.json",
        "title": event_type,
        "description": (model.__doc__ or "").strip(),
        "type": "object",
        "additionalProperties": False,
        "required": list(ENVELOPE_KEYS),
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "sequence": {
                "type": "integer",
                "minimum": 1,
                "description": "The person's events are numbered 1, 2, 3...; a jump "
                "means one was missed: send resume with the last id.",
            },
            "type": {"const": event_type},
            "occurred_at": {"type": "string", "format": "date-time"},
            "data": data_schema,
        },
        **({"$defs": definitions} if definitions else {}),
    }


def rendered() -> dict[Path, str]:
    return {
        HERE / f"{event_type}.schema.json": json.dumps(
            schema_of(event_type, model), indent=2, sort_keys=True
        )
        + "\n"
        for event_type, model in sorted(EVENT_TYPES.items())
    }


def stale_files() -> list[Path]:
    expected = rendered()
    present = set(HERE.glob("*.schema.json"))
    wrong = [path for path, text in expected.items() if not _same(path, text)]
    return sorted(wrong + [path for path in present if path not in expected])


def _same(path: Path, text: str) -> bool:
    return path.exists() and path.read_text() == text


def write() -> None:
    for path in HERE.glob("*.schema.json"):
        path.unlink()
    for path, text in rendered().items():
        path.write_text(text)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_files()
        for path in stale:
            print(f"stale event schema: {path.name} (run `make contract`)")
        return 1 if stale else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
