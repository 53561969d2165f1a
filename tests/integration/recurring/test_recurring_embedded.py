"""The embedded default (`make run`: no broker, no beat): run_demo sweeps while it
waits for the server, and `manage.py sweep_recurring` sweeps by hand."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from modules.demo.interfaces.cli.management.commands import run_demo
from tests.factories import UserFactory
from tests.integration.recurring.helpers import new_account, new_rule, today
from tests.integration.recurring.test_recurring_sweep import entries_of

pytestmark = pytest.mark.django_db


def test_run_demo_sweeps_on_a_timer_while_the_server_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person: Any = UserFactory()
    new_rule(person.tenant_id, new_account(person.tenant_id).id, starts_on=today())
    swept: list[int] = []
    monkeypatch.setattr(run_demo, "SWEEP_EVERY_SECONDS", 0.05)
    # Each sweep ends by closing its connections; here that would end the test's
    # transaction, so the close is counted instead (the sweep itself is real).
    monkeypatch.setattr(run_demo.connections, "close_all", lambda: swept.append(1))
    assert run_demo.in_process_tasks()  # no REDIS_URL in the quick tests
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.4)"])
    assert run_demo.wait_sweeping(server) == 0
    assert len(swept) >= 2  # more than once: a timer, not a single start-up run
    assert [e.occurred_on for e in entries_of(person.tenant_id)] == [today()]


def test_the_sweep_command_says_what_it_did() -> None:
    person: Any = UserFactory()
    new_rule(person.tenant_id, new_account(person.tenant_id).id, starts_on=today())
    out = StringIO()
    call_command("sweep_recurring", stdout=out)
    assert out.getvalue().startswith("Recorded 1, expected 0 bills")
