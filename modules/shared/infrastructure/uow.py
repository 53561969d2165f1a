"""The unit of work every module's use cases run in: one database transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from django.db import transaction

from modules.shared.infrastructure.clock import SystemClock


class AtomicUnitOfWork:
    """Commits when the block ends, rolls back when it raises; nests as savepoints.

    `commit()` keeps what was written even if the block then raises, for refusals that
    must count (a failed sign-in is recorded, then refused). `clock` is the one clock
    its use case and its stores read.
    """

    def __init__(self) -> None:
        self.clock = SystemClock()
        self._atomic: transaction.Atomic | None = None
        self._keep = False

    def __enter__(self) -> Self:
        self._keep = False
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def commit(self) -> None:
        self._keep = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._atomic is not None
        if exc_type is not None and self._keep:
            self._atomic.__exit__(None, None, None)
        else:
            self._atomic.__exit__(exc_type, exc, traceback)
        self._atomic = None
