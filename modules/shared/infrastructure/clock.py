"""The system clock behind every unit of work."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


class SystemClock:
    """`Clock` from Django's clock: aware UTC moments, dates in the active time zone."""

    def now(self) -> datetime:
        return timezone.now()

    def today(self) -> date:
        return timezone.localdate()
