"""Work that falls due with the calendar, done by the recurring sweep (ADR 0025).

The recurring module runs the sweep (beat every quarter of an hour, `run_demo`'s own
timer, `manage.py sweep_recurring`). A module beside it in the order, which it may not
import, registers its own due work here when Django starts; the sweep runs every
registered job after its rules. A job handles every tenant itself, each exactly once
per date, and answers how many things it recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Job = Callable[[], int]

_jobs: dict[str, Job] = {}


def register_sweep_job(name: str, job: Job) -> None:
    """Called by a module's app when Django starts; registering twice keeps one."""
    _jobs[name] = job


def sweep_jobs() -> Mapping[str, Job]:
    return dict(_jobs)
