"""Start-up checks: the database, Redis and the Celery broker answer, or the process
stops with one line per problem that names the variable and says what to do.

Who runs them:

- `manage.py migrate` (and `check --database default`): the database check, a Django
  system check tagged `database`, before it touches a table.
- `make run` (`prepare_demo`): every check tagged `services`, Redis and the broker
  included (a deploy check, so plain `migrate` never waits for Redis).
- Celery workers and beat: all of them, before they connect (worker_init, beat_init).
- Any other command that dies of an unreachable service: the exception hook turns the
  traceback into the same lines, after probing again to be sure it is the service.

Each probe is one connection with a short timeout, and passwords never reach a line:
URLs are shown with `***` in place of any password.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.checks import Error, Tags, register

TIMEOUT_SECONDS = 3
MASK = "***"
SECRET_QUERY_KEYS = frozenset({"password", "pass", "passwd", "secret", "token"})
SQLITE_HINT = "or unset DATABASE_URL to use SQLite"
SQLITE_OR = "or unset it to use SQLite"
REDIS_HINT = "or unset REDIS_URL to run without it (in-process cache, channels, tasks)"


def mask_url(url: str) -> str:
    """The URL with any password (in the user part or the query) replaced by `***`."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if has_password else netloc
    query = urlencode(
        [
            (key, MASK if key.lower() in SECRET_QUERY_KEYS else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*",
    )
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _without(secret: object, text: str) -> str:
    return text.replace(secret, MASK) if isinstance(secret, str) and secret else text


# --- PostgreSQL ------------------------------------------------------------------
def _database_url(db: Mapping[str, Any]) -> str:
    """The URL of a settings dict, as DATABASE_URL would spell it, password masked."""
    user = db.get("USER") or ""
    auth = f"{user}:{MASK}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
    host = db.get("HOST") or ""
    location = f"{host}:{db['PORT']}" if db.get("PORT") else host
    return f"postgres://{auth}{location}/{db.get('NAME') or ''}"


def _pg_flags(db: Mapping[str, Any]) -> str:
    """`-h host -p port -U user ` for createdb/createuser, only where not the default."""
    flags = []
    if db.get("HOST"):
        flags.append(f"-h {db['HOST']}")
    if db.get("PORT") and str(db["PORT"]) != "5432":
        flags.append(f"-p {db['PORT']}")
    if db.get("USER"):
        flags.append(f"-U {db['USER']}")
    return "".join(f"{flag} " for flag in flags)


def database_advice(message: str, db: Mapping[str, Any]) -> str:
    """What psycopg said, in one sentence, and what to do about it."""
    message = _without(db.get("PASSWORD"), message)
    where = f"{db.get('HOST') or 'the local socket'}:{db.get('PORT') or 5432}"
    if match := re.search(r'database "([^"]+)" does not exist', message):
        name = match[1]
        return (
            f'database "{name}" does not exist. '
            f"Create it (createdb {_pg_flags(db)}{name}) {SQLITE_HINT}."
        )
    if match := re.search(r'role "([^"]+)" does not exist', message):
        role = match[1]
        flags = _pg_flags({**db, "USER": None})
        return (
            f'role "{role}" does not exist. '
            f"Create it (createuser {flags}{role}) or put an existing user in "
            "DATABASE_URL."
        )
    if match := re.search(r'authentication failed for user "([^"]+)"', message):
        return (
            f'PostgreSQL refused the password of user "{match[1]}". '
            "Fix the password in DATABASE_URL."
        )
    if match := re.search(r"failed to resolve host '([^']+)'", message):
        return f'unknown host "{match[1]}". Fix the host in DATABASE_URL {SQLITE_OR}.'
    if re.search(r"Connection refused|timeout expired|timed out", message, re.I):
        return f"nothing answers at {where}. Start PostgreSQL there {SQLITE_HINT}."
    reason = message.strip().splitlines()[0] if message.strip() else "cannot connect"
    reason = reason.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
    return f"{reason.rstrip('.')}. Fix DATABASE_URL {SQLITE_OR}."


def database_problem(db: Mapping[str, Any]) -> str | None:
    """One line when the database of this settings dict does not answer, else None.

    Connects directly, not through the pool, which would wait its whole timeout and
    then report only that it has no connection."""
    if not str(db.get("ENGINE", "")).endswith("postgresql"):
        return None  # SQLite: a file the settings already made room for
    import psycopg

    params = {
        "dbname": db.get("NAME"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
        "host": db.get("HOST"),
        "port": db.get("PORT"),
    }
    try:
        psycopg.connect(
            connect_timeout=TIMEOUT_SECONDS,
            **{key: value for key, value in params.items() if value},
        ).close()
    except psycopg.Error as error:
        return f"DATABASE_URL={_database_url(db)}: {database_advice(str(error), db)}"
    return None


# --- Redis and the broker --------------------------------------------------------
def redis_problem(url: str, variable: str = "REDIS_URL") -> str | None:
    """One line when the Redis at `url` does not answer a PING, else None."""
    import redis

    parts = urlsplit(url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 6379}"
    start = f"redis-server --port {parts.port}" if parts.port else "redis-server"
    client = redis.Redis.from_url(
        url,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.AuthenticationError:
        advice = f"Redis refused the credentials. Fix them in {variable}."
    except (redis.ConnectionError, redis.TimeoutError):
        advice = (
            f"nothing answers at {where}. Start Redis there ({start}) {REDIS_HINT}."
        )
    except redis.RedisError as error:
        reason = _without(parts.password, str(error)).rstrip(".")
        advice = f"Redis said: {reason}. Fix {variable}."
    else:
        return None
    finally:
        client.close()
    return f"{variable}={mask_url(url)}: {advice}"


def broker_problem(url: str) -> str | None:
    """One line when a broker other than Redis itself does not answer, else None."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    except Exception as error:  # kombu raises its transports' own errors
        reason = _without(urlsplit(url).password, str(error)).rstrip(".")
        return (
            f"CELERY_BROKER_URL={mask_url(url)}: the broker does not answer "
            f"({reason}). Start it or fix the URL."
        )
    return None


# --- What this process needs -----------------------------------------------------
def database_problems(aliases: Iterable[str] = ("default",)) -> list[str]:
    from django.db import connections

    found = (database_problem(connections[alias].settings_dict) for alias in aliases)
    return [problem for problem in found if problem]


def redis_problems() -> list[str]:
    from django.conf import settings

    problems = []
    if settings.REDIS_URL and (problem := redis_problem(settings.REDIS_URL)):
        problems.append(problem)
    broker = settings.CELERY_BROKER_URL
    separate = broker != settings.REDIS_URL and not broker.startswith("memory://")
    if separate and (problem := broker_problem(broker)):
        problems.append(problem)
    return problems


def service_problems() -> list[str]:
    """Every service this process is configured to use that does not answer."""
    return database_problems() + redis_problems()


def require_services(**_: Any) -> None:
    """Stop the process, one `error:` line per problem, when a service is missing."""
    problems = service_problems()
    if problems:
        sys.stderr.write("".join(f"error: {problem}\n" for problem in problems))
        sys.stderr.flush()
        raise SystemExit(2)


# --- Django system checks ----------------------------------------------------------
def check_database(
    app_configs: Any = None, databases: Iterable[str] | None = None, **_: Any
) -> list[Error]:
    """The databases a command asked for answer (migrate asks for its own)."""
    if not databases:
        return []
    return [Error(line, id="finance.E001") for line in database_problems(databases)]


def check_redis(
    app_configs: Any = None, databases: Iterable[str] | None = None, **_: Any
) -> list[Error]:
    """Redis and the broker answer: asked for with the databases, so that a static
    `check --deploy` stays offline; `check --deploy --database default` probes."""
    if not databases:
        return []
    return [Error(line, id="finance.E002") for line in redis_problems()]


# --- The exception hook ---------------------------------------------------------------
def _is_connection_error(error: BaseException | None) -> bool:
    from django.db import InterfaceError, OperationalError

    names = {"PoolTimeout", "ConnectionError", "TimeoutError", "OperationalError"}
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError | InterfaceError):
            return True
        if type(error).__name__ in names and type(error).__module__.split(".")[0] in {
            "psycopg",
            "psycopg_pool",
            "redis",
            "kombu",
        }:
            return True
        error = error.__cause__ or error.__context__
    return False


def explain_unreachable_services(
    kind: type[BaseException],
    error: BaseException,
    traceback: TracebackType | None,
    previous: Any = None,
) -> None:
    """An uncaught connection error becomes the one-line explanation, when a fresh
    probe confirms a service is away; anything else keeps its traceback."""
    previous = previous or sys.__excepthook__
    if _is_connection_error(error):
        try:
            problems = service_problems()
        except Exception:  # the explanation must never hide the original error
            problems = []
        if problems:
            sys.stderr.write("".join(f"error: {problem}\n" for problem in problems))
            return
    previous(kind, error, traceback)


_installed = False


def install_startup_checks() -> None:
    """Register the checks, the Celery start-up hooks and the exception hook (once)."""
    global _installed
    if _installed:
        return
    _installed = True
    register(check_database, Tags.database, "services")
    register(check_redis, "services", deploy=True)

    from celery.signals import beat_init, worker_init

    worker_init.connect(require_services, weak=False)
    beat_init.connect(require_services, weak=False)

    previous = sys.excepthook
    sys.excepthook = lambda kind, error, traceback: explain_unreachable_services(
        kind, error, traceback, previous
    )
