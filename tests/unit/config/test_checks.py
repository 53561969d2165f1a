"""A missing database or Redis is one line that names the variable and what to do,
and never shows a password."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.db import OperationalError
from django.test import override_settings

from config import checks

SECRET = "s3cr3t-pa55"


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres(**values: Any) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "finance",
        "USER": "finance",
        "PASSWORD": SECRET,
        "HOST": "127.0.0.1",
        "PORT": 5432,
        **values,
    }


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgres://finance:{SECRET}@db:5432/finance", "postgres://finance:***@db:5432/finance"),
        (f"redis://:{SECRET}@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        (f"redis://bob:p@ss:w{SECRET}@r:6379/0", "redis://bob:***@r:6379/0"),
        (f"postgres://db/finance?password={SECRET}&sslmode=require", "postgres://db/finance?password=***&sslmode=require"),
        ("postgres://postgres@127.0.0.1:5432/nope", "postgres://postgres@127.0.0.1:5432/nope"),
        ("redis://127.0.0.1:6390/0", "redis://127.0.0.1:6390/0"),
    ],
)  # fmt: skip
def test_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert checks.mask_url(url) == shown


def test_a_missing_database_says_how_to_create_it() -> None:
    message = (
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        'FATAL:  database "nope" does not exist'
    )
    assert checks.database_advice(message, postgres(USER="postgres")) == (
        'database "nope" does not exist. Create it (createdb -h 127.0.0.1 -U postgres '
        "nope) or unset DATABASE_URL to use SQLite."
    )


@pytest.mark.parametrize(
    ("message", "advice"),
    [
        (
            'FATAL:  role "ghost" does not exist',
            'role "ghost" does not exist. Create it (createuser -h 127.0.0.1 ghost)',
        ),
        (
            'FATAL:  password authentication failed for user "finance"',
            'refused the password of user "finance". Fix the password in DATABASE_URL.',
        ),
        (
            "failed to resolve host 'db': [Errno -2] Name or service not known",
            'unknown host "db". Fix the host in DATABASE_URL',
        ),
        (
            "connection timeout expired",
            "nothing answers at 127.0.0.1:5432. Start PostgreSQL there",
        ),
        (
            f'failed: FATAL:  no pg_hba.conf entry for "{SECRET}"',
            'no pg_hba.conf entry for "***". Fix DATABASE_URL or unset it',
        ),
    ],
)
def test_each_failure_gets_its_own_advice(message: str, advice: str) -> None:
    assert advice in checks.database_advice(message, postgres())


def test_an_unreachable_postgres_is_one_masked_line() -> None:
    port = closed_port()
    problem = checks.database_problem(postgres(PORT=port))
    assert problem == (
        f"DATABASE_URL=postgres://finance:***@127.0.0.1:{port}/finance: nothing answers"
        f" at 127.0.0.1:{port}. Start PostgreSQL there or unset DATABASE_URL to use "
        "SQLite."
    )
    assert SECRET not in problem


def test_sqlite_needs_no_probe() -> None:
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/nowhere/db.sqlite3"}
    assert checks.database_problem(sqlite) is None


def test_an_unreachable_redis_is_one_masked_line() -> None:
    port = closed_port()
    problem = checks.redis_problem(f"redis://:{SECRET}@127.0.0.1:{port}/0")
    assert problem == (
        f"REDIS_URL=redis://:***@127.0.0.1:{port}/0: nothing answers at "
        f"127.0.0.1:{port}. Start Redis there (redis-server --port {port}) or unset "
        "REDIS_URL to run without it (in-process cache, channels, tasks)."
    )


def test_a_separate_broker_is_probed_too() -> None:
    port = closed_port()
    problem = checks.broker_problem(f"redis://:{SECRET}@127.0.0.1:{port}/1")
    assert problem is not None
    assert problem.startswith(f"CELERY_BROKER_URL=redis://:***@127.0.0.1:{port}/1: ")
    assert SECRET not in problem


def test_the_checks_stay_offline_unless_asked_for_databases() -> None:
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        assert checks.check_database(databases=None) == []
        assert checks.check_redis(databases=None) == []
        errors = checks.check_redis(databases=["default"])
    assert [error.id for error in errors] == ["finance.E002"]
    assert errors[0].msg.startswith("REDIS_URL=redis://127.0.0.1:")


def test_require_services_stops_with_one_line_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(checks, "service_problems", lambda: ["REDIS_URL=x: away."])
    with pytest.raises(SystemExit) as stopped:
        checks.require_services()
    assert stopped.value.code == 2
    assert capsys.readouterr().err == "error: REDIS_URL=x: away.\n"


def test_an_uncaught_connection_error_becomes_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(checks, "service_problems", lambda: ["DATABASE_URL=x: away."])
    seen: list[BaseException] = []
    try:
        raise OperationalError("couldn't get a connection after 10.00 sec")
    except OperationalError as error:
        checks.explain_unreachable_services(
            OperationalError, error, None, lambda *args: seen.append(args[1])
        )
    assert capsys.readouterr().err == "error: DATABASE_URL=x: away.\n"
    assert seen == []


def test_other_errors_keep_their_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks, "service_problems", lambda: ["DATABASE_URL=x: away."])
    seen: list[BaseException] = []
    error = ValueError("a bug")
    checks.explain_unreachable_services(
        ValueError, error, None, lambda *args: seen.append(args[1])
    )
    assert seen == [error]


def test_a_connection_error_with_every_service_up_keeps_its_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(checks, "service_problems", list)
    seen: list[BaseException] = []
    error = OperationalError("no such table: nowhere")
    checks.explain_unreachable_services(
        OperationalError, error, None, lambda *args: seen.append(args[1])
    )
    assert seen == [error]
