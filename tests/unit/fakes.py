"""In-memory stand-ins for the ports every module shares: the clock, the outbox and
the transaction of a unit of work. Each module's own fakes live with its tests."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from types import TracebackType
from typing import Self
from uuid import UUID

from contracts.events.models import EventData

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@dataclass
class FixedClock:
    """`Clock` that stands still until a test moves it; `today()` is read in `zone`,
    as `SystemClock` reads it in the active time zone."""

    moment: datetime = NOW
    zone: tzinfo = UTC

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(self.zone).date()

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


@dataclass
class FakeOutbox:
    """`EventOutbox` that keeps the events in the order they were appended."""

    events: list[EventData] = field(default_factory=list)

    def append(self, event: EventData) -> UUID:
        return self.append_all([event])[0]

    def append_all(self, events: Sequence[EventData]) -> list[UUID]:
        self.events.extend(events)
        return [uuid.uuid4() for _ in events]

    def of_type[E: EventData](self, kind: type[E]) -> list[E]:
        return [event for event in self.events if isinstance(event, kind)]


class FakeTransaction:
    """The transaction of a fake unit of work: counts what committed (a clean exit,
    or `commit()` before a refusal) and what rolled back."""

    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0
        self._keep = False

    def __enter__(self) -> Self:
        self._keep = False
        return self

    def commit(self) -> None:
        self._keep = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None or self._keep:
            self.commits += 1
        else:
            self.rollbacks += 1
