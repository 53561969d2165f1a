"""Closing an account: refused at once, erased once a grace period ends, unless
the person takes it back through the link we mail them first."""

from __future__ import annotations

from datetime import datetime, timedelta

from modules.shared.domain.retention import Kept, kept_for

# The grace period is a setting, never longer than the retention table promises.
LONGEST_GRACE = kept_for(Kept.CLOSED_ACCOUNTS)


def erase_after(closed_at: datetime, *, grace: timedelta) -> datetime:
    """When the data of an account closed at `closed_at` is erased."""
    return closed_at + min(grace, LONGEST_GRACE)
