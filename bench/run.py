"""`make bench`: the whole benchmark on the production shape, one results file per run.

    python bench/run.py                 everything (`make bench`)
    python bench/run.py --only ledger   the ledger part (HTTP, web, SQL, django-hordak)
    python bench/run.py --only live     the live part (`make bench-live`)
    python bench/run.py --only budgets  the budgets part (GET /api/v1/budgets)
    python bench/run.py --only loans    the loan part (a 30-year schedule)
    python bench/run.py --only recurring  the forecast and the recurring sweep
    python bench/run.py --only reports  the dashboard and the reports, 5 years by month
    python bench/run.py --only imports  a 100,000-row statement into a full account

Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
postgres; databases finance_bench, finance_bench_hordak and finance_bench_live are
dropped and created) and Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/12,
flushed). bench/stack.py starts the Procfile's gunicorn, Daphne, Celery worker and
beat against them; django-hordak is installed from bench/requirements.txt.

Writes bench/results/bench-<UTC time>-<short commit>.json (and a copy as latest.json)
holding the commit, whether the tree was clean, the load averages, versions, every
figure and each goal met or not. A run with any size changed (BENCH_SMOKE=1, or one
BENCH_* variable) is a smoke run: bench/results/smoke-<...>.json, latest.json left
alone, ignored by git. Every size and its variable are listed in the results file.

    BENCH_SMOKE=1 make bench            every size small: about 4 minutes
    BENCH_LEDGER_TRANSACTIONS=5000 ...  one size (the others stay full)

Sizes (full / smoke): BENCH_LEDGER_TRANSACTIONS 100000/5000, BENCH_SMALL_TRANSACTIONS
1000, BENCH_CLIENTS 8, BENCH_LEDGER_READS 200/40 (1 client; a quarter each for 8),
BENCH_LEDGER_WRITES 100/20 per client, BENCH_LEDGER_TRANSFERS 10000/1000,
BENCH_WEB_REQUESTS 100/30, BENCH_WEB_PAGE 500, BENCH_LIVE_PEOPLE 1000/200,
BENCH_LIVE_SECONDS 12/4 per rate, BENCH_IDLE_SOCKETS 10000/1000,
BENCH_BUDGET_TRANSACTIONS 100000/5000, BENCH_BUDGET_READS 200/40,
BENCH_LOAN_REQUESTS 300/40, BENCH_RECURRING_PEOPLE 1000/100,
BENCH_RECURRING_FORECASTS 200/30, BENCH_REPORT_TRANSACTIONS 100000/5000,
BENCH_REPORT_READS 100/20. Not sizes: BENCH_TRANSFER_BUDGET (300 s per transfer
run), BENCH_IDLE_HEARTBEAT (unset: the product's default),
BENCH_LIVE_CONNECT_CONCURRENCY (50), BENCH_DATABASE_PREFIX (finance_bench: the
databases' names, so two checkouts can share one server).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

# `python bench/run.py` puts bench/, not the project, first on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    budgets,
    imports,
    ledger,
    live,
    loans,
    recurring,
    reports,
    sizes,
    stack,
)
from bench.common import RESULTS, ROOT, loadavg

PACKAGES = (
    "django",
    "djangorestframework",
    "djangorestframework-simplejwt",
    "gunicorn",
    "daphne",
    "channels",
    "channels-redis",
    "celery",
    "redis",
    "psycopg",
    "psycopg-pool",
    "websockets",
    "django-hordak",
)


class Phases:
    """Seconds spent in each step, reported so a slow `make bench` says why."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, action: Callable[[], Any]) -> Any:
        started = time.monotonic()
        print(f"--- {name}", flush=True)
        try:
            return action()
        finally:
            self.seconds[name] = round(time.monotonic() - started, 1)


def git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.strip()


def tree_state() -> dict[str, Any]:
    lines = [line for line in git("status", "--porcelain").splitlines() if line]
    return {"commit": git("rev-parse", "HEAD"), "porcelain": lines}


def warn_dirty(state: dict[str, Any], when: str) -> None:
    if not state["porcelain"]:
        return
    bar = "!" * 78
    print(
        f"\n{bar}\n!! WARNING ({when}): the working tree is NOT clean "
        f"({len(state['porcelain'])} changes); the results are recorded with\n"
        f"!! tree_clean: false and cannot stand for commit {state['commit'][:12]}.\n"
        + "".join(f"!!   {line}\n" for line in state["porcelain"][:15])
        + (
            f"!!   ... and {len(state['porcelain']) - 15} more\n"
            if len(state["porcelain"]) > 15
            else ""
        )
        + bar,
        flush=True,
    )


def warn_busy(when: str) -> bool:
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load <= cores / 2:
        return False
    print(
        f"!! WARNING ({when}): load average {load:.2f} on {cores} cores: other work "
        "is running on this machine; the figures will be slower than alone.",
        flush=True,
    )
    return True


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


def versions() -> dict[str, Any]:
    found: dict[str, Any] = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    found["postgresql"] = ledger.admin("SHOW server_version")[0]
    found["redis_server"] = live.redis_version()
    return found


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    with contextlib.suppress(OSError, IndexError):
        memory = (
            Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
        )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": memory,
        "kernel": platform.release(),
        "everything_on_one_machine": "servers, PostgreSQL, Redis and the load "
        "clients share these cores; the cpu_seconds blocks say who used what",
    }


def results_path(state: dict[str, Any], stamp: str, only: str | None) -> Path:
    kind = "bench" if sizes.profile() == "full" else "smoke"
    part = f"-{only}" if only else ""
    return RESULTS / f"{kind}{part}-{stamp}-{state['commit'][:8]}.json"


def run(only: str | None) -> dict[str, Any]:
    started = time.monotonic()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    before = tree_state()
    warn_dirty(before, "at the start")
    busy = warn_busy("at the start")
    report: dict[str, Any] = {
        "benchmark": "make bench" if only is None else f"make bench ({only} only)",
        "measured_at": stamp,
        "git": {"commit": before["commit"]},
        "load_average_before": loadavg(),
    }
    limits = live.raise_fd_limit()
    phase = Phases()
    install_problem = (
        phase("install django-hordak", install_requirements)
        if only in (None, "ledger")
        else None
    )
    report["versions"] = versions()
    report["machine"] = machine()
    report["stack"] = stack.commands()
    goals: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        workdir = Path(directory)
        if only in (None, "ledger"):
            found = part(
                "ledger", lambda: ledger.run(workdir / "ledger", phase, install_problem)
            )
            report["ledger"] = found
            goals.update(found["goals"])
            if "error" not in found:
                ledger.print_report(found)
        for name, module in (
            ("budgets", budgets),
            ("loans", loans),
            ("recurring", recurring),
            ("reports", reports),
            ("imports", imports),
        ):
            if only in (None, name):
                found = part(name, lambda m=module, n=name: m.run(workdir / n, phase))
                report[name] = found
                goals.update(found["goals"])
                if "error" not in found:
                    module.print_report(found)
        if only in (None, "live"):
            report["load_average_before_live"] = loadavg()
            found = part("live", lambda: live.run(workdir / "live", phase, limits))
            report["live"] = found
            goals.update(found["goals"])
            if "error" not in found:
                live.print_report(found)
    after = tree_state()
    clean = (
        not before["porcelain"]
        and not after["porcelain"]
        and (before["commit"] == after["commit"])
    )
    report["git"] = {
        "commit": before["commit"],
        "short": before["commit"][:8],
        "tree_clean": clean,
        "porcelain_at_start": before["porcelain"],
        "porcelain_at_end": after["porcelain"],
        "commit_at_end": after["commit"],
    }
    report["load_average_after"] = loadavg()
    report["machine_busy"] = {
        "at_start": busy,
        "at_end": warn_busy("at the end"),
        "rule": "1-minute load average above half the cores: other work shares the "
        "machine and every figure is slower than it would be alone",
    }
    report["profile"] = sizes.profile()
    report["sizes"] = sizes.CHOSEN
    report["goals"] = goals
    report["goals_met"] = {
        verdict: sum(1 for g in goals.values() if g["met"] == verdict)
        for verdict in ("yes", "no", "not measured")
    }
    report["phase_seconds"] = phase.seconds
    report["seconds"] = round(time.monotonic() - started, 1)
    report["_path"] = str(results_path(before, stamp, only).relative_to(ROOT))
    if not clean:
        warn_dirty(after if after["porcelain"] else before, "at the end")
    return report


def part(name: str, action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One part of the run; a part that fails is recorded as failed (its goals not
    measured) and the other part still runs."""
    try:
        return action()
    except Exception as error:
        trace = traceback.format_exc().strip().splitlines()[-12:]
        print(f"!! the {name} part failed: {error}", flush=True)
        stack.end_all()
        return {
            "error": str(error)[:2000],
            "traceback": trace,
            "goals": {
                f"{name}_part": {
                    "target": f"the {name} part runs to the end",
                    "measured": str(error)[:300],
                    "met": "not measured",
                }
            },
        }


def print_goals(report: dict[str, Any]) -> None:
    print(f"\n{'goal':<40}{'target':<58}{'met':>13}  measured")
    for name, found in report["goals"].items():
        measured = found["measured"]
        if isinstance(measured, dict):
            measured = json.dumps(measured)
        print(
            f"{name:<40}{str(found['target'])[:56]:<58}{found['met']:>13}  {measured}"
        )
    print(f"goals met: {report['goals_met']}")


def write(report: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = ROOT / report.pop("_path")
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    if report["profile"] == "full":
        shutil.copyfile(path, RESULTS / "latest.json")
    return path


def check_services() -> str | None:
    if not ledger.postgres_reachable():
        return f"no PostgreSQL at {ledger.ADMIN_URL} (set BENCH_DATABASE_URL)"
    if not live.redis_reachable():
        return f"no Redis at {ledger.REDIS_URL} (set BENCH_REDIS_URL)"
    return None


def _interrupted(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        choices=[
            "ledger",
            "budgets",
            "loans",
            "recurring",
            "reports",
            "imports",
            "live",
        ],
    )
    args = parser.parse_args(argv)
    if problem := check_services():
        raise SystemExit(f"error: {problem}: `make bench` runs on PostgreSQL and Redis")
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        report = run(args.only)
    finally:
        stack.end_all()  # whatever an interrupted phase left running
    path = write(report)
    print_goals(report)
    clean = "clean" if report["git"]["tree_clean"] else "NOT CLEAN"
    print(
        f"written to {path.relative_to(ROOT)} ({report['profile']} run, tree {clean}, "
        f"{report['seconds']} s)"
    )


if __name__ == "__main__":
    main()
