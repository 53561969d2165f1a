"""Sign-in lockout: after N failures in a row an address is refused for a while.

Counted per email address whether or not an account exists for it, so the answer
never tells an attacker which addresses are registered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True, kw_only=True)
class LockoutPolicy:
    threshold: int = 5
    duration: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, kw_only=True)
class FailedLogins:
    failures: int = 0
    locked_until: datetime | None = None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def seconds_left(self, now: datetime) -> int:
        if not self.is_locked(now) or self.locked_until is None:
            return 0
        return max(1, math.ceil((self.locked_until - now).total_seconds()))

    def after_failure(self, *, now: datetime, policy: LockoutPolicy) -> FailedLogins:
        """One more failure; reaching the threshold starts a lock."""
        failures = 0 if self.lock_has_expired(now) else self.failures
        failures += 1
        if failures >= policy.threshold:
            return FailedLogins(failures=failures, locked_until=now + policy.duration)
        return replace(self, failures=failures, locked_until=None)

    def lock_has_expired(self, now: datetime) -> bool:
        return self.locked_until is not None and now >= self.locked_until
