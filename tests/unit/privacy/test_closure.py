"""Closing and reopening an account against in-memory ports: the rules without a
database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

import pytest

from modules.privacy.application.closure import (
    CloseAccount,
    close_account,
    reopen_account,
)
from modules.privacy.domain.closure import LONGEST_GRACE, erase_after
from modules.shared.domain.errors import ConflictError, ValidationError
from tests.unit.fakes import NOW, FakeTransaction, FixedClock

PASSWORD = "the-right-passphrase"


@dataclass
class Closure:
    requested_by: UUID
    erase_after: datetime
    reopened_at: datetime | None = None


@dataclass
class FakeClosureUnitOfWork(FakeTransaction):
    """Every closure port at once: closures, people, mail and audit."""

    grace: timedelta = timedelta(days=30)
    rows: dict[UUID, Closure] = field(default_factory=dict)
    suspended: bool = False
    reopened_with: list[tuple[UUID, str]] = field(default_factory=list)
    mailed: list[UUID] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        FakeTransaction.__init__(self)
        self.clock = FixedClock()
        self.closures = self.people = self.mail = self.audit = self

    # ClosureStore
    def is_closing(self) -> bool:
        return any(c.reopened_at is None for c in self.rows.values())

    def add(
        self,
        closure_id: UUID,
        *,
        requested_by: UUID,
        closed_at: datetime,
        erase_after: datetime,
    ) -> None:
        self.rows[closure_id] = Closure(requested_by, erase_after)

    def reopenable_by(self, closure_id: UUID, *, now: datetime) -> UUID | None:
        found = self.rows.get(closure_id)
        if found is None or found.reopened_at or found.erase_after <= now:
            return None
        return found.requested_by

    def mark_reopened(self, closure_id: UUID, *, at: datetime) -> None:
        self.rows[closure_id].reopened_at = at

    # People
    def it_is_them(self, *, member_id: UUID, password: str, otp: str | None) -> bool:
        return password == PASSWORD

    def suspend(self) -> None:
        self.suspended = True

    def reopen(self, *, member_id: UUID, new_password: str) -> None:
        self.reopened_with.append((member_id, new_password))

    # Mail, audit
    def send_reopen_link(self, closure_id: UUID) -> None:
        self.mailed.append(closure_id)

    def account_closed(self, *, actor_id: UUID) -> None:
        self.audited.append("closed")

    def account_reopened(self, *, actor_id: UUID) -> None:
        self.audited.append("reopened")


MEMBER = uuid.uuid4()


def close(uow: FakeClosureUnitOfWork, password: str = PASSWORD) -> datetime:
    return close_account(
        uow=uow, command=CloseAccount(member_id=MEMBER, password=password)
    )


def test_closing_suspends_mails_audits_and_says_when_it_is_erased() -> None:
    uow = FakeClosureUnitOfWork()
    assert close(uow) == NOW + timedelta(days=30)
    assert uow.suspended and len(uow.mailed) == 1 and uow.audited == ["closed"]


def test_a_wrong_password_changes_nothing() -> None:
    uow = FakeClosureUnitOfWork()
    with pytest.raises(ValidationError) as refused:
        close(uow, password="wrong")
    assert refused.value.details[0].field == "password"
    assert not uow.suspended and uow.rows == {} and uow.mailed == []


def test_an_account_is_closed_once() -> None:
    uow = FakeClosureUnitOfWork()
    close(uow)
    with pytest.raises(ConflictError):
        close(uow)


def test_the_grace_period_never_exceeds_the_retention_table() -> None:
    assert erase_after(NOW, grace=timedelta(days=90)) == NOW + LONGEST_GRACE
    assert close(FakeClosureUnitOfWork(grace=timedelta(days=3))) == NOW + timedelta(
        days=3
    )


def test_the_link_reopens_once_before_the_grace_ends() -> None:
    uow = FakeClosureUnitOfWork()
    close(uow)
    (closure_id,) = uow.rows
    assert reopen_account(uow=uow, closure_id=closure_id, new_password="new") == MEMBER
    assert uow.reopened_with == [(MEMBER, "new")]
    with pytest.raises(ValidationError):
        reopen_account(uow=uow, closure_id=closure_id, new_password="again")
    assert uow.audited == ["closed", "reopened"]


def test_the_link_is_refused_once_the_grace_has_ended() -> None:
    uow = FakeClosureUnitOfWork()
    close(uow)
    uow.clock.advance(timedelta(days=30))
    with pytest.raises(ValidationError):
        reopen_account(uow=uow, closure_id=next(iter(uow.rows)), new_password="x")
    assert uow.reopened_with == []
