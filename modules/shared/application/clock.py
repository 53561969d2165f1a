"""The one clock use cases read: the moment, and the date in the active time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class Clock(Protocol):
    """`SystemClock` in production, `FixedClock` in the unit tests."""

    def now(self) -> datetime:
        """The current moment, time-zone aware."""

    def today(self) -> date:
        """Today's date in the active time zone (the person's, during a request)."""
