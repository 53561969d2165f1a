"""What the privacy use cases need from the outside world."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction


class ExportStore(Protocol):
    def unfinished(self) -> UUID | None:
        """The current tenant's export still being written, if any."""

    def add(self, export_id: UUID, *, requested_by: UUID, at: datetime) -> None: ...


class ExportJobs(Protocol):
    def start(self, export_id: UUID) -> None:
        """Write the export in the background once the transaction commits."""


class Audit(Protocol):
    def export_requested(self, *, actor_id: UUID) -> None: ...


class UnitOfWork(Transaction, Protocol):
    exports: ExportStore
    jobs: ExportJobs
    audit: Audit
    clock: Clock


class ClosureStore(Protocol):
    def is_closing(self) -> bool:
        """Whether the current tenant already has a closure not taken back."""

    def add(
        self,
        closure_id: UUID,
        *,
        requested_by: UUID,
        closed_at: datetime,
        erase_after: datetime,
    ) -> None: ...

    def reopenable_by(self, closure_id: UUID, *, now: datetime) -> UUID | None:
        """Who closed it, while it may still be taken back; otherwise None."""

    def mark_reopened(self, closure_id: UUID, *, at: datetime) -> None: ...


class People(Protocol):
    """The current tenant's people, as identity keeps them."""

    def it_is_them(self, *, member_id: UUID, password: str, otp: str | None) -> bool:
        """The password, and the second factor when it is on. A wrong one counts
        towards the sign-in lockout in a transaction of its own; while the address
        is locked out it raises a `RateLimitedError`."""

    def suspend(self) -> None:
        """Refuse them at every door from now on (tokens, sessions, sockets)."""

    def reopen(self, *, member_id: UUID, new_password: str) -> None: ...


class ClosureMail(Protocol):
    def send_reopen_link(self, closure_id: UUID) -> None:
        """Mail the link that takes the closure back, once the transaction commits."""


class ClosureAudit(Protocol):
    def account_closed(self, *, actor_id: UUID) -> None: ...

    def account_reopened(self, *, actor_id: UUID) -> None: ...


class ClosureUnitOfWork(Transaction, Protocol):
    closures: ClosureStore
    people: People
    mail: ClosureMail
    audit: ClosureAudit
    clock: Clock
    grace: timedelta
