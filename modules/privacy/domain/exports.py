"""An export's life: asked for, written with progress, downloadable for a while."""

from __future__ import annotations

from enum import StrEnum

from modules.shared.domain.retention import Kept, kept_for

# How long a finished export can be downloaded before its file is deleted.
DOWNLOAD_LIFETIME = kept_for(Kept.EXPORT_FILES)
# Progress is announced each time it passes another step of this many percent.
PROGRESS_STEP = 10


class ExportStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


UNFINISHED = frozenset({ExportStatus.PENDING, ExportStatus.RUNNING})


def percent(done: int, total: int) -> int:
    """Whole percent of `total` rows written; an empty export is done at once."""
    if total <= 0:
        return 100
    return min(100, done * 100 // total)


def passes_a_step(before: int, after: int) -> bool:
    """Whether going from `before` to `after` percent is worth announcing."""
    return after // PROGRESS_STEP > before // PROGRESS_STEP
