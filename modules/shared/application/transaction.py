"""What every unit of work is: a block that commits when it ends and rolls back when
it raises. Each module's `UnitOfWork` port adds its stores to it."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self


class Transaction(Protocol):
    """`AtomicUnitOfWork` in production, `FakeTransaction` in the unit tests."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
        /,
    ) -> None: ...
