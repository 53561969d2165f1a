from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modules.privacy.domain.exports import PROGRESS_STEP, passes_a_step, percent


def test_an_empty_export_is_done_at_once() -> None:
    assert percent(0, 0) == 100


def test_percent_rounds_down_and_never_passes_100() -> None:
    assert percent(1, 3) == 33
    assert percent(2, 3) == 66
    assert percent(5, 3) == 100


@given(st.integers(1, 10_000))
def test_rows_written_one_by_one_announce_each_step_once(total: int) -> None:
    shown, announced = 0, []
    for done in range(1, total + 1):
        now = percent(done, total)
        if passes_a_step(shown, now):
            shown = now
            announced.append(now)
    assert announced == sorted(set(announced))
    assert len(announced) <= 100 // PROGRESS_STEP
    assert not announced or announced[-1] == 100
