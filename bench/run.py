"""`make bench`: start a real Daphne server, load it briefly, write bench/results/*.json.

Foundation benchmark: latency of `GET /health/` and `GET /api/v1/me` under a short
local load (N keep-alive clients on loopback). Uses `DATABASE_URL`/`REDIS_URL` from the
environment, so the same script measures the embedded default and the full stack.

Ledger benchmark (bench/ledger.py): run too when the PostgreSQL server named by
`BENCH_DATABASE_URL` answers; it writes bench/results/ledger.json.

Live-updates benchmark (bench/live.py): run too when that PostgreSQL server and the
Redis named by `BENCH_REDIS_URL` (default database 12) answer; it writes
bench/results/live.json. `make bench-live` runs it alone.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# `python bench/run.py` puts bench/, not the project, first on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ledger, live
from bench.common import (
    RESULTS,
    ROOT,
    free_port,
    get_plan,
    load,
    manage,
    server_env,
    sign_in,
    start_server,
    stop_server,
)

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", "250"))
EMAIL = "bench@example.com"
PASSWORD = "bench-password-long-enough"


def ensure_user(env: dict[str, str], email: str, password: str) -> None:
    script = (
        "from django.utils import timezone;"
        "from modules.identity.infrastructure.models import User;"
        f"User.objects.filter(email='{email}').exists() or "
        f"User.objects.create_user('{email}', '{password}', email_verified_at=timezone.now())"
    )
    manage(env, "shell", "-c", script)


def foundation() -> dict[str, object]:
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        env = server_env(port, Path(workdir))
        manage(env, "migrate", "--noinput", "-v", "0")
        ensure_user(env, EMAIL, PASSWORD)
        server = start_server(env, port)
        try:
            bearer = sign_in(port, EMAIL, PASSWORD)
            sizes = {"clients": CLIENTS, "per_client": REQUESTS_PER_CLIENT}
            load(port, get_plan("/health/"), {}, **sizes)  # warm-up
            results = {
                "GET /health/": load(port, get_plan("/health/"), {}, **sizes),
                "GET /api/v1/me": load(port, get_plan("/api/v1/me"), bearer, **sizes),
            }
        finally:
            stop_server(server)
    return {
        "benchmark": "foundation",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "server": "daphne, 1 process",
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "redis": bool(env.get("REDIS_URL")),
        "clients": CLIENTS,
        "requests_per_client": REQUESTS_PER_CLIENT,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "results": results,
    }


def print_foundation(results: dict[str, dict[str, float]]) -> None:
    print(
        f"{'endpoint':<18}{'req':>7}{'err':>5}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for name, row in results.items():
        print(
            f"{name:<18}{row['requests']:>7}{row['errors']:>5}{row['throughput_rps']:>9}"
            f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
        )
    print(f"written to {RESULTS / 'foundation.json'}")


def install_requirements() -> str | None:
    """The ledger benchmark compares against django-hordak, which the product does not
    depend on: it is installed here, from bench/requirements.txt, not by `make setup`.
    Returns why it failed, or None."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            "bench/requirements.txt",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return (
        None if done.returncode == 0 else (done.stderr.strip()[-500:] or "pip failed")
    )


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = foundation()
    (RESULTS / "foundation.json").write_text(json.dumps(report, indent=2) + "\n")
    print_foundation(report["results"])  # type: ignore[arg-type]

    if not ledger.postgres_reachable():
        print(f"ledger benchmark skipped: no PostgreSQL at {ledger.ADMIN_URL}")
    else:
        ledger.main(install_problem=install_requirements())

    if problem := live.available():
        print(f"live benchmark skipped: {problem}")
        return
    live.main()


if __name__ == "__main__":
    main()
