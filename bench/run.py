"""`make bench`: start a real Daphne server, load it briefly, write bench/results/*.json.

Foundation benchmark: latency of `GET /health/` and `GET /api/v1/me` under a short
local load (N keep-alive clients on loopback). Uses `DATABASE_URL`/`REDIS_URL` from the
environment, so the same script measures the embedded default and the full stack.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", "250"))
EMAIL = "bench@example.com"
PASSWORD = "bench-password-long-enough"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(port: int, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env.update(
        SECRET_KEY=secrets.token_urlsafe(48),
        DEBUG="false",
        LOG_LEVEL="WARNING",
        EMAIL_URL=f"file://{workdir / 'mail'}",
        SITE_URL=f"http://127.0.0.1:{port}",
        API_USER_RATE="1000000/min",
        API_ANON_RATE="1000000/min",
        API_AUTH_RATE="1000000/min",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    daphne = Path(sys.executable).parent / "daphne"
    process = subprocess.Popen(
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/health/")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def request(
    port: int,
    method: str,
    path: str,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    payload = json.dumps(body) if body is not None else None
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    connection.request(method, path, body=payload, headers=all_headers)
    response = connection.getresponse()
    return response.status, response.read()


def access_token(env: dict[str, str], port: int) -> str:
    script = (
        "from django.utils import timezone;"
        "from modules.identity.infrastructure.models import User;"
        f"User.objects.filter(email='{EMAIL}').exists() or "
        f"User.objects.create_user('{EMAIL}', '{PASSWORD}', email_verified_at=timezone.now())"
    )
    manage(env, "shell", "-c", script)
    status, body = request(
        port, "POST", "/api/v1/sessions", {"email": EMAIL, "password": PASSWORD}
    )
    assert status == 201, body
    return str(json.loads(body)["access"])


def load(port: int, path: str, headers: dict[str, str]) -> dict[str, float]:
    """CLIENTS threads, each on its own keep-alive connection, timing every request."""
    samples: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        own: list[float] = []
        for _ in range(REQUESTS_PER_CLIENT):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            own.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors.append(response.status)
        with lock:
            samples.extend(own)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summarize(samples, elapsed, errors)


def summarize(
    samples: list[float], elapsed: float, errors: list[int]
) -> dict[str, float]:
    ordered = sorted(samples)

    def cut(quantile: float) -> float:
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    return {
        "requests": len(samples),
        "errors": len(errors),
        "throughput_rps": round(len(samples) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(cut(0.95), 2),
        "p99_ms": round(cut(0.99), 2),
    }


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        env = server_env(port, Path(workdir))
        manage(env, "migrate", "--noinput", "-v", "0")
        server = start_server(env, port)
        try:
            bearer = {"Authorization": f"Bearer {access_token(env, port)}"}
            load(port, "/health/", {})  # warm-up
            results = {
                "GET /health/": load(port, "/health/", {}),
                "GET /api/v1/me": load(port, "/api/v1/me", bearer),
            }
        finally:
            server.terminate()
            server.wait(timeout=20)
    report = {
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
    (RESULTS / "foundation.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"{'endpoint':<18}{'req':>7}{'err':>5}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for name, row in results.items():
        print(
            f"{name:<18}{row['requests']:>7}{row['errors']:>5}{row['throughput_rps']:>9}"
            f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
        )
    print(f"written to {RESULTS / 'foundation.json'}")


if __name__ == "__main__":
    main()
