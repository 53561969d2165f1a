"""Members: a person who signed up, and the tenant that owns their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import available_timezones

from babel.numbers import list_currencies

from modules.shared.domain.notifications import EMAIL_BY_DEFAULT

SUPPORTED_LOCALES = ("en", "es")
DEFAULT_LOCALE = "en"
DEFAULT_CURRENCY = "EUR"
# ISO 4217 codes and IANA zones from maintained sources (CLDR via Babel, the tz database).
CURRENCY_CODES = tuple(sorted(list_currencies()))
TIMEZONES = tuple(sorted(available_timezones()))


def normalize_email(email: str) -> str:
    """One spelling per mailbox: trimmed and lower-cased."""
    return email.strip().lower()


@dataclass(frozen=True, kw_only=True)
class Member:
    id: UUID
    tenant_id: UUID
    is_active: bool
    email_verified_at: datetime | None
    locale: str

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


@dataclass(frozen=True, kw_only=True)
class Preferences:
    locale: str = DEFAULT_LOCALE
    timezone: str = "UTC"
    base_currency: str = DEFAULT_CURRENCY
    notify_by_email: bool = True
    email_notifications: frozenset[str] = frozenset(EMAIL_BY_DEFAULT)
    marketing_consent: bool = False
