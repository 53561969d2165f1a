"""What the identity use cases need from the outside world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from modules.identity.domain.lockout import FailedLogins
from modules.identity.domain.members import Member, Preferences
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction


class AuditAction(StrEnum):
    REGISTERED = "user.registered"
    EMAIL_VERIFIED = "user.email_verified"
    LOGIN_SUCCEEDED = "user.login_succeeded"
    LOGIN_FAILED = "user.login_failed"
    LOCKED_OUT = "user.locked_out"
    LOGGED_OUT = "user.logged_out"
    PASSWORD_RESET_REQUESTED = "user.password_reset_requested"  # noqa: S105
    PASSWORD_CHANGED = "user.password_changed"  # noqa: S105
    PREFERENCES_CHANGED = "user.preferences_changed"
    ADMIN_CHANGE = "admin.change"
    EXPORT_REQUESTED = "privacy.export_requested"
    EXPORT_DOWNLOADED = "privacy.export_downloaded"
    SESSION_REVOKED = "user.session_revoked"
    TOTP_ENABLED = "user.totp_enabled"
    TOTP_DISABLED = "user.totp_disabled"
    RECOVERY_CODE_USED = "user.recovery_code_used"
    EMAIL_CHANGE_REQUESTED = "user.email_change_requested"
    EMAIL_CHANGED = "user.email_changed"
    EMAIL_CHANGE_REVERTED = "user.email_change_reverted"
    ACCOUNT_CLOSED = "privacy.account_closed"
    ACCOUNT_REOPENED = "privacy.account_reopened"
    TENANT_ERASED = "privacy.tenant_erased"


class AccountMail(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    CONFIRM_EMAIL_CHANGE = "confirm_email_change"
    EMAIL_CHANGED = "email_changed"
    # Someone signed up with an address that already has an account.
    ALREADY_REGISTERED = "already_registered"


class ConsentKind(StrEnum):
    TERMS = "terms"
    MARKETING = "marketing"


class MemberStore(Protocol):
    def create_member(
        self, *, email: str, password: str, preferences: Preferences, now: datetime
    ) -> Member: ...

    def find_by_email(self, email: str) -> Member | None: ...

    def get(self, member_id: UUID) -> Member | None: ...

    def password_matches(self, member_id: UUID | None, password: str) -> bool: ...

    def email_of(self, member_id: UUID) -> str | None: ...

    def set_password(self, member_id: UUID, password: str) -> None: ...

    def mark_email_verified(self, member_id: UUID, now: datetime) -> None: ...

    def preferences(self, member_id: UUID) -> Preferences: ...

    def save_preferences(self, member_id: UUID, preferences: Preferences) -> None: ...

    def record_consent(
        self, member: Member, *, kind: ConsentKind, granted: bool, now: datetime
    ) -> None:
        """Append to the person's consent history (terms carry their version)."""


class FailedLoginStore(Protocol):
    def load(self, email: str) -> FailedLogins: ...

    def save(self, email: str, state: FailedLogins) -> None: ...

    def clear(self, email: str) -> None: ...

    def clear_for_member(self, member_id: UUID) -> None: ...


class LinkTokens(Protocol):
    """One-time, expiring tokens for the links we send by email."""

    def make(self, purpose: AccountMail, member_id: UUID) -> str: ...

    def read(self, purpose: AccountMail, token: str) -> UUID | None: ...


class Mailer(Protocol):
    def send(
        self, kind: AccountMail, member: Member, *, about: UUID | None = None
    ) -> None:
        """Mail the member once the transaction commits (nothing if it rolls back);
        `about` names the email change a mail is about."""


@dataclass(frozen=True, kw_only=True)
class TotpSetup:
    secret: str
    uri: str


class SecondFactor(Protocol):
    """The person's authenticator app and recovery codes."""

    def is_on(self, member_id: UUID) -> bool: ...

    def check(self, member_id: UUID, code: str, now: datetime) -> str | None:
        """Use a code once: "totp" or "recovery" when it is good, else None."""

    def start(self, member_id: UUID, now: datetime) -> TotpSetup:
        """A new secret, not yet on; it replaces any unconfirmed one."""

    def confirm(self, member_id: UUID, code: str, now: datetime) -> list[str] | None:
        """Turn on with a first good code: the new recovery codes, in clear, once."""

    def turn_off(self, member_id: UUID) -> None: ...


class EmailChanges(Protocol):
    def start(self, member_id: UUID, new_email: str, now: datetime) -> UUID: ...

    def confirm(self, token: str, now: datetime) -> tuple[UUID, Member] | None:
        """Switch to the new address; None if the link is bad or used, or the
        address was taken meanwhile."""

    def revert(self, token: str, now: datetime) -> Member | None:
        """Back to the old address, within the revert window, once; the password
        made unusable, every sign-in ended, an app turned on since removed."""


class AuditTrail(Protocol):
    def record(
        self,
        action: AuditAction,
        *,
        actor_id: UUID | None = None,
        tenant_id: UUID | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None: ...


class LiveSockets(Protocol):
    def close_all(self, member_id: UUID, reason: str) -> None:
        """After commit, close every open websocket of the member."""


class UnitOfWork(Transaction, Protocol):
    """Everything a use case touches commits together or not at all."""

    members: MemberStore
    failed_logins: FailedLoginStore
    tokens: LinkTokens
    mailer: Mailer
    audit: AuditTrail
    clock: Clock
    sockets: LiveSockets
    second_factor: SecondFactor
    email_changes: EmailChanges

    def commit(self) -> None:
        """Keep what the block wrote even if it then raises (a refusal that counts)."""
