"""Identity use cases against in-memory ports: rules without a database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from modules.identity.application import use_cases
from modules.identity.application.ports import AccountMail, AuditAction, ConsentKind
from modules.identity.domain import exceptions
from modules.identity.domain.lockout import FailedLogins, LockoutPolicy
from modules.identity.domain.members import Member, Preferences
from tests.unit.fakes import NOW, FixedClock

POLICY = LockoutPolicy()


@dataclass
class FakeUnitOfWork:
    members_by_email: dict[str, tuple[Member, str]] = field(default_factory=dict)
    failures: dict[str, FailedLogins] = field(default_factory=dict)
    sent: list[tuple[AccountMail, uuid.UUID]] = field(default_factory=list)
    audited: list[AuditAction] = field(default_factory=list)
    committed: bool = False
    passwords_set: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    preferences_of: dict[uuid.UUID, Preferences] = field(default_factory=dict)
    consents: list[tuple[ConsentKind, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.members = self
        self.failed_logins = FakeFailures(self.failures, self.members_by_email)
        self.mailer = self
        self.audit = self
        self.clock = FixedClock()
        self.tokens = FakeLinkTokens()
        self.sockets = FakeSockets()
        self.second_factor = FakeSecondFactor()
        self.email_changes = None

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def commit(self) -> None:
        self.committed = True

    # MemberStore
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

    def get(self, member_id: uuid.UUID | None) -> Member | None:
        return next(
            (m for m, _ in self.members_by_email.values() if m.id == member_id), None
        )

    def mark_email_verified(self, member_id: uuid.UUID, now: datetime) -> None:
        for email, (member, _) in self.members_by_email.items():
            if member.id == member_id:
                self.verify(email, at=now)

    def set_password(self, member_id: uuid.UUID, password: str) -> None:
        self.passwords_set.append((member_id, password))

    def email_of(self, member_id: uuid.UUID) -> str | None:
        return next(
            (e for e, (m, _) in self.members_by_email.items() if m.id == member_id),
            None,
        )

    def record_consent(
        self, member: Member, *, kind: ConsentKind, granted: bool, now: datetime
    ) -> None:
        self.consents.append((kind, granted))

    def preferences(self, member_id: uuid.UUID) -> Preferences:
        return self.preferences_of.get(member_id, Preferences())

    def save_preferences(self, member_id: uuid.UUID, preferences: Preferences) -> None:
        self.preferences_of[member_id] = preferences

    def verify(self, email: str, at: datetime = NOW) -> None:
        member, password = self.members_by_email[email]
        self.members_by_email[email] = (
            replace(member, email_verified_at=at),
            password,
        )

    # Mailer, AuditTrail
    def send(
        self, kind: AccountMail, member: Member, *, about: uuid.UUID | None = None
    ) -> None:
        self.sent.append((kind, member.id))

    def record(self, action: AuditAction, **_: Any) -> None:
        self.audited.append(action)


class FakeLinkTokens:
    """`LinkTokens`: a token names its purpose and its member."""

    def __init__(self) -> None:
        self.issued: dict[str, tuple[AccountMail, uuid.UUID]] = {}

    def make(self, purpose: AccountMail, member_id: uuid.UUID) -> str:
        token = uuid.uuid4().hex
        self.issued[token] = (purpose, member_id)
        return token

    def read(self, purpose: AccountMail, token: str) -> uuid.UUID | None:
        found = self.issued.get(token)
        return found[1] if found and found[0] is purpose else None


class FakeSecondFactor:
    """`SecondFactor`: members with it on, and the codes each accepts once."""

    def __init__(self) -> None:
        self.codes: dict[uuid.UUID, set[str]] = {}

    def is_on(self, member_id: uuid.UUID) -> bool:
        return member_id in self.codes

    def check(self, member_id: uuid.UUID, code: str, now: datetime) -> str | None:
        codes = self.codes.get(member_id, set())
        if code not in codes:
            return None
        codes.discard(code)
        return "recovery" if code.startswith("r-") else "totp"


class FakeSockets:
    """`LiveSockets`: who was disconnected, and why."""

    def __init__(self) -> None:
        self.closed: list[tuple[uuid.UUID, str]] = []

    def close_all(self, member_id: uuid.UUID, reason: str) -> None:
        self.closed.append((member_id, reason))


@dataclass
class FakeFailures:
    store: dict[str, FailedLogins]
    members_by_email: dict[str, tuple[Member, str]]

    def load(self, email: str) -> FailedLogins:
        return self.store.get(email, FailedLogins())

    def save(self, email: str, state: FailedLogins) -> None:
        self.store[email] = state

    def clear(self, email: str) -> None:
        self.store.pop(email, None)

    def clear_for_member(self, member_id: uuid.UUID) -> None:
        for email, (member, _) in self.members_by_email.items():
            if member.id == member_id:
                self.clear(email)


@pytest.fixture
def uow_with_member() -> tuple[FakeUnitOfWork, Member]:
    uow = FakeUnitOfWork()
    use_cases.register_member(uow=uow, command=registration())
    member = uow.find_by_email("ana@example.com")
    assert member is not None
    return uow, member


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
    member_id = use_cases.register_member(uow=uow, command=registration())
    assert uow.members_by_email["ana@example.com"][0].id == member_id
    assert uow.sent == [(AccountMail.VERIFY_EMAIL, member_id)]
    assert uow.audited == [AuditAction.REGISTERED]


def test_register_refuses_without_terms() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(exceptions.TermsNotAccepted):
        use_cases.register_member(uow=uow, command=registration(accepted_terms=False))
    assert uow.members_by_email == {}


def test_a_taken_email_answers_alike_and_mails_its_owner() -> None:
    uow = FakeUnitOfWork()
    first = use_cases.register_member(uow=uow, command=registration())
    uow.verify("ana@example.com")
    again = use_cases.register_member(
        uow=uow, command=registration(email="ANA@example.com")
    )
    assert again != first
    assert list(uow.members_by_email) == ["ana@example.com"]
    assert uow.sent[-1] == (AccountMail.ALREADY_REGISTERED, first)
    assert uow.audited == [AuditAction.REGISTERED]


def test_a_taken_unverified_email_gets_a_new_verification_link() -> None:
    uow = FakeUnitOfWork()
    first = use_cases.register_member(uow=uow, command=registration())
    use_cases.register_member(uow=uow, command=registration())
    assert uow.sent == [
        (AccountMail.VERIFY_EMAIL, first),
        (AccountMail.VERIFY_EMAIL, first),
    ]


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


def test_verifying_with_a_link_for_another_purpose_fails(uow_with_member: Any) -> None:
    uow, member = uow_with_member
    reset_token = uow.tokens.make(AccountMail.RESET_PASSWORD, member.id)
    with pytest.raises(exceptions.InvalidLink):
        use_cases.verify_email(uow=uow, token=reset_token)

    token = uow.tokens.make(AccountMail.VERIFY_EMAIL, member.id)
    verified = use_cases.verify_email(uow=uow, token=token)
    assert verified.id == member.id
    assert uow.find_by_email("ana@example.com").email_verified_at == NOW
    assert uow.audited[-1] is AuditAction.EMAIL_VERIFIED
    with pytest.raises(exceptions.InvalidLink):  # the link works once
        use_cases.verify_email(uow=uow, token=token)


def test_a_reset_sets_the_password_and_signs_out_every_socket(
    uow_with_member: Any,
) -> None:
    uow, member = uow_with_member
    uow.failures["ana@example.com"] = FailedLogins(failures=4)
    token = uow.tokens.make(AccountMail.RESET_PASSWORD, member.id)

    use_cases.reset_password(uow=uow, token=token, new_password="another-pw-2")

    assert uow.passwords_set == [(member.id, "another-pw-2")]
    assert uow.failures == {}
    assert uow.sockets.closed == [(member.id, "password_changed")]
    with pytest.raises(exceptions.InvalidLink):
        use_cases.reset_password(uow=uow, token="forged", new_password="x")


def test_the_failure_that_locks_an_address_closes_its_sockets(
    uow_with_member: Any,
) -> None:
    uow, member = uow_with_member
    uow.verify("ana@example.com")
    uow.failures["ana@example.com"] = FailedLogins(failures=POLICY.threshold - 1)
    with pytest.raises(exceptions.TooManyFailedLogins):
        use_cases.authenticate_member(
            uow=uow,
            email="ana@example.com",
            password="wrong",
            policy=POLICY,
            surface="web",
        )
    assert uow.committed
    assert uow.sockets.closed == [(member.id, "locked")]
    assert uow.audited[-2:] == [AuditAction.LOGIN_FAILED, AuditAction.LOCKED_OUT]


def test_preferences_save_what_the_command_sets_and_audit_its_fields() -> None:
    uow = FakeUnitOfWork()
    member_id, tenant_id = uuid.uuid4(), uuid.uuid4()
    use_cases.update_preferences(
        uow=uow,
        command=use_cases.UpdatePreferences(
            member_id=member_id,
            tenant_id=tenant_id,
            locale="es",
            email_notifications=["account_overdrawn"],
            marketing_consent=True,
        ),
    )
    saved = uow.preferences_of[member_id]
    assert (saved.locale, saved.marketing_consent) == ("es", True)
    assert saved.email_notifications == frozenset({"account_overdrawn"})
    assert saved.timezone == Preferences().timezone  # left as it was
    assert uow.audited == [AuditAction.PREFERENCES_CHANGED]


def test_preferences_that_set_nothing_write_nothing() -> None:
    uow = FakeUnitOfWork()
    use_cases.update_preferences(
        uow=uow,
        command=use_cases.UpdatePreferences(
            member_id=uuid.uuid4(), tenant_id=uuid.uuid4()
        ),
    )
    assert uow.preferences_of == {} and uow.audited == []
