"""Every size of `make bench`, overridable one by one from the environment.

`BENCH_SMOKE=1` picks small defaults for all of them (a few minutes end to end);
any `BENCH_*` variable set still wins. A run whose sizes are not all the full ones is
recorded (and its results file named) as a smoke run: its figures prove the benchmark
works, they do not judge the goals.
"""

from __future__ import annotations

import os

SMOKE = os.environ.get("BENCH_SMOKE", "") not in ("", "0")
CHOSEN: dict[str, dict[str, int | bool]] = {}


def size(name: str, full: int, smoke: int) -> int:
    given = os.environ.get(name, "")
    value = int(given) if given else (smoke if SMOKE else full)
    CHOSEN[name] = {"value": value, "full": full, "overridden": bool(given)}
    return value


def profile() -> str:
    """ "full" when every size is the full one, else "smoke"."""
    full = all(row["value"] == row["full"] for row in CHOSEN.values())
    return "full" if full else "smoke"
