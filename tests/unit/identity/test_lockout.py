"""The lockout rule, as plain arithmetic over failures and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from modules.identity.domain.lockout import FailedLogins, LockoutPolicy

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = LockoutPolicy(threshold=5, duration=timedelta(minutes=15))


def fail(
    times: int, state: FailedLogins | None = None, at: datetime = NOW
) -> FailedLogins:
    state = state or FailedLogins()
    for _ in range(times):
        state = state.after_failure(now=at, policy=POLICY)
    return state


def test_four_failures_do_not_lock() -> None:
    assert not fail(4).is_locked(NOW)


def test_the_fifth_failure_locks_for_the_duration() -> None:
    state = fail(5)
    assert state.is_locked(NOW)
    assert state.seconds_left(NOW) == 15 * 60
    assert state.is_locked(NOW + timedelta(minutes=14, seconds=59))
    assert not state.is_locked(NOW + timedelta(minutes=15))


def test_a_failure_after_the_lock_expired_starts_counting_again() -> None:
    later = NOW + timedelta(minutes=16)
    state = fail(1, fail(5), at=later)
    assert state.failures == 1
    assert not state.is_locked(later)


@given(st.integers(min_value=0, max_value=50))
def test_locked_exactly_when_threshold_reached(failures: int) -> None:
    assert fail(failures).is_locked(NOW) == (failures >= POLICY.threshold)


@given(st.integers(min_value=5, max_value=30), st.integers(min_value=0, max_value=3600))
def test_seconds_left_never_exceeds_duration(failures: int, elapsed: int) -> None:
    state = fail(failures)
    left = state.seconds_left(NOW + timedelta(seconds=elapsed))
    assert 0 <= left <= POLICY.duration.total_seconds()
    assert (left > 0) == (elapsed < POLICY.duration.total_seconds())
