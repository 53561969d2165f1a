"""An import's life: parsed and classified, reviewed, recorded, perhaps undone."""

from __future__ import annotations

from enum import StrEnum


class ImportStatus(StrEnum):
    MAPPING = "mapping"  # a CSV waiting for its column mapping
    PENDING = "pending"
    PARSING = "parsing"
    READY = "ready"  # waiting for the person's review
    RECORDING = "recording"
    RECORDED = "recorded"
    FAILED = "failed"
    UNDONE = "undone"


class Stage(StrEnum):
    PARSING = "parsing"
    RECORDING = "recording"


def percent(done: int, total: int) -> int:
    return 100 if total <= 0 else min(100, done * 100 // total)
