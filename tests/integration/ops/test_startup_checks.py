"""A newcomer's bad DATABASE_URL or REDIS_URL stops `make run` (prepare_demo, which
run_demo calls first), `migrate` and a Celery worker with one line, password masked."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config.checks import database_problem

BASE_DIR = Path(__file__).resolve().parents[3]
SECRET = "n0t-f0r-pr1nt1ng"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(
    command: list[str], tmp_path: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",  # empty is unset, and beats any `.env` line
        "EMAIL_URL": "locmem:",
        **env,
    }
    return subprocess.run(
        command,
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def manage(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def test_an_unreachable_database_is_one_masked_line(tmp_path: Path) -> None:
    port = closed_port()
    url = f"postgres://finance:{SECRET}@127.0.0.1:{port}/finance"
    result = run(manage("prepare_demo"), tmp_path, DATABASE_URL=url)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"error: DATABASE_URL=postgres://finance:***@127.0.0.1:{port}/finance: "
        f"nothing answers at 127.0.0.1:{port}. Start PostgreSQL there or unset "
        "DATABASE_URL to use SQLite."
    ]
    assert SECRET not in result.stdout + result.stderr


def test_an_unreachable_redis_is_one_masked_line(tmp_path: Path) -> None:
    port = closed_port()
    url = f"redis://:{SECRET}@127.0.0.1:{port}/0"
    result = run(manage("prepare_demo"), tmp_path, REDIS_URL=url)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"error: REDIS_URL=redis://:***@127.0.0.1:{port}/0: nothing answers at "
        f"127.0.0.1:{port}. Start Redis there (redis-server --port {port}) or unset "
        "REDIS_URL to run without it (in-process cache, channels, tasks)."
    ]
    assert SECRET not in result.stdout + result.stderr


def test_migrate_names_the_database_before_touching_it(tmp_path: Path) -> None:
    port = closed_port()
    url = f"postgres://finance:{SECRET}@127.0.0.1:{port}/finance"
    result = run(manage("migrate", "--noinput"), tmp_path, DATABASE_URL=url)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        f"(finance.E001) DATABASE_URL=postgres://finance:***@127.0.0.1:{port}/finance: "
        "nothing answers" in result.stderr
    )
    assert SECRET not in result.stdout + result.stderr


def test_a_worker_without_its_broker_stops_with_one_line(tmp_path: Path) -> None:
    port = closed_port()
    celery = str(Path(sys.executable).parent / "celery")
    result = run(
        [celery, "-A", "config", "worker", "--pool", "solo"],
        tmp_path,
        REDIS_URL=f"redis://:{SECRET}@127.0.0.1:{port}/0",
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: REDIS_URL=redis://:***@127.0.0.1:{port}/0: nothing answers at "
        f"127.0.0.1:{port}. Start Redis there (redis-server --port {port}) or unset "
        "REDIS_URL to run without it (in-process cache, channels, tasks)."
    ]
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_database_that_does_not_exist_says_createdb() -> None:
    settings = {**connection.settings_dict, "NAME": "finance_no_such_database"}
    problem = database_problem(settings)
    assert problem is not None
    expected = (
        'database "finance_no_such_database" does not exist. Create it (createdb '
    )
    assert expected in problem
    if settings.get("PASSWORD"):
        assert settings["PASSWORD"] not in problem
