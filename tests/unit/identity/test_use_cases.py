"""Identity use cases against in-memory ports: rules without a database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from modules.identity.application import use_cases
from modules.identity.application.ports import AccountMail, AuditAction
from modules.identity.domain import exceptions
from modules.identity.domain.lockout import FailedLogins, LockoutPolicy
from modules.identity.domain.members import Member, Preferences

POLICY = LockoutPolicy()
NOW = datetime(2026, 11, 23, tzinfo=UTC)


@dataclass
class FakeUnitOfWork:
    members_by_email: dict[str, tuple[Member, str]] = field(default_factory=dict)
    failures: dict[str, FailedLogins] = field(default_factory=dict)
    sent: list[tuple[AccountMail, uuid.UUID]] = field(default_factory=list)
    audited: list[AuditAction] = field(default_factory=list)
    committed: bool = False
    tokens: dict[str, uuid.UUID] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.members = self
        self.failed_logins = FakeFailures(self.failures)
        self.mailer = self
        self.audit = self
        self.clock = FakeClock()

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def commit(self) -> None:
        self.committed = True

    # MemberStore
    def email_taken(self, email: str) -> bool:
        return email in self.members_by_email

    def create_member(
        self, *, email: str, password: str, preferences: Preferences, now: datetime
    ) -> Member:
        member = Member(
            id=uuid.uuid4(),
            tenant_id=uuid.uuid4(),
            is_active=True,
            email_verified_at=None,
            locale=preferences.locale,
        )
        self.members_by_email[email] = (member, password)
        return member

    def find_by_email(self, email: str) -> Member | None:
        found = self.members_by_email.get(email)
        return found[0] if found else None

    def password_matches(self, member_id: uuid.UUID | None, password: str) -> bool:
        return any(
            m.id == member_id and p == password
            for m, p in self.members_by_email.values()
        )

    def verify(self, email: str) -> None:
        member, password = self.members_by_email[email]
        self.members_by_email[email] = (
            replace(member, email_verified_at=NOW),
            password,
        )

    # Mailer, AuditTrail
    def send(self, kind: AccountMail, member: Member) -> None:
        self.sent.append((kind, member.id))

    def record(self, action: AuditAction, **_: Any) -> None:
        self.audited.append(action)


class FakeClock:
    def now(self) -> datetime:
        return NOW


@dataclass
class FakeFailures:
    store: dict[str, FailedLogins]

    def load(self, email: str) -> FailedLogins:
        return self.store.get(email, FailedLogins())

    def save(self, email: str, state: FailedLogins) -> None:
        self.store[email] = state

    def clear(self, email: str) -> None:
        self.store.pop(email, None)

    def clear_for_member(self, member_id: uuid.UUID) -> None:
        raise NotImplementedError


def registration(**overrides: Any) -> use_cases.Registration:
    values = {
        "email": " Ana@Example.COM ",
        "password": "pw-long-enough-1",
        "accepted_terms": True,
        "preferences": Preferences(),
    }
    return use_cases.Registration(**{**values, **overrides})


def test_register_normalises_email_audits_and_mails() -> None:
    uow = FakeUnitOfWork()
    member = use_cases.register_member(uow=uow, command=registration())
    assert "ana@example.com" in uow.members_by_email
    assert uow.sent == [(AccountMail.VERIFY_EMAIL, member.id)]
    assert uow.audited == [AuditAction.REGISTERED]


def test_register_refuses_without_terms() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(exceptions.TermsNotAccepted):
        use_cases.register_member(uow=uow, command=registration(accepted_terms=False))
    assert uow.members_by_email == {}


def test_register_refuses_a_taken_email() -> None:
    uow = FakeUnitOfWork()
    use_cases.register_member(uow=uow, command=registration())
    with pytest.raises(exceptions.EmailAlreadyRegistered):
        use_cases.register_member(
            uow=uow, command=registration(email="ANA@example.com")
        )


def test_unverified_member_cannot_sign_in_but_failures_are_not_counted() -> None:
    uow = FakeUnitOfWork()
    use_cases.register_member(uow=uow, command=registration())
    with pytest.raises(exceptions.EmailNotVerified):
        use_cases.authenticate_member(
            uow=uow,
            email="ana@example.com",
            password="pw-long-enough-1",
            policy=POLICY,
            surface="api",
        )
    assert uow.failures == {}


def test_failures_commit_even_though_the_use_case_raises() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(exceptions.InvalidCredentials):
        use_cases.authenticate_member(
            uow=uow,
            email="nobody@example.com",
            password="x",
            policy=POLICY,
            surface="api",
        )
    assert uow.committed
    assert uow.failures["nobody@example.com"].failures == 1
    assert uow.audited == [AuditAction.LOGIN_FAILED]


def test_success_clears_failures() -> None:
    uow = FakeUnitOfWork()
    use_cases.register_member(uow=uow, command=registration())
    uow.verify("ana@example.com")
    uow.failures["ana@example.com"] = FailedLogins(failures=3)
    use_cases.authenticate_member(
        uow=uow,
        email="ana@example.com",
        password="pw-long-enough-1",
        policy=POLICY,
        surface="web",
    )
    assert "ana@example.com" not in uow.failures


def test_locked_address_is_refused_even_with_the_right_password() -> None:
    uow = FakeUnitOfWork()
    use_cases.register_member(uow=uow, command=registration())
    uow.verify("ana@example.com")
    uow.failures["ana@example.com"] = FailedLogins(
        failures=5, locked_until=NOW + timedelta(minutes=5)
    )
    with pytest.raises(exceptions.TooManyFailedLogins) as raised:
        use_cases.authenticate_member(
            uow=uow,
            email="ana@example.com",
            password="pw-long-enough-1",
            policy=POLICY,
            surface="web",
        )
    assert raised.value.retry_after_seconds == 300


def test_preferences_ignore_unknown_fields_and_skip_empty_changes() -> None:
    uow = FakeUnitOfWork()
    changed: list[dict[str, object]] = []
    uow.update_preferences = lambda member_id, changes: changed.append(dict(changes))  # type: ignore[attr-defined]
    use_cases.update_preferences(
        uow=uow,
        member_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        changes={"is_staff": True},
    )
    assert changed == [] and uow.audited == []
    use_cases.update_preferences(
        uow=uow,
        member_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        changes={"locale": "es", "is_staff": True},
    )
    assert changed == [{"locale": "es"}]
    assert uow.audited == [AuditAction.PREFERENCES_CHANGED]
