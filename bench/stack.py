"""The production shape on this machine, as the benchmark starts it: the repository's
Procfile (what `make up` runs with honcho) minus its `proxy`.

    web     gunicorn (HTTP: pages, API)
    ws      Daphne (websockets)
    worker  Celery worker (the outbox relay)
    beat    Celery beat (the 5 s outbox sweep)

Each command is run as honcho runs it (`/bin/sh -c`, the Procfile's own words,
`$RUN_DIR` and `$PORT` set), in its own process group, with this virtualenv first on
PATH and the benchmark's environment (its database, its Redis database number, DEBUG
off, rate limits off). `RUN_DIR` is a fresh temporary directory of the benchmark's, so
the unix sockets never collide with a `make up` running alongside. The load clients
talk to gunicorn's and Daphne's sockets directly: the Procfile's `proxy` stands in for
a production load balancer, which would not share these two cores, and it closes every
HTTP connection after one request.

Without a Procfile (or without one of these entries) the same processes are started
from DEFAULTS below; the results file records which commands ran and from where.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    CpuMeter,
    Endpoint,
    free_port,
    wait_for_health,
)

PROCFILE = ROOT / "Procfile"
ROLES = ("web", "ws", "worker", "beat")
DEFAULTS = {
    "web": "exec gunicorn --workers 2 --worker-class gthread --threads 4"
    ' --bind "unix:$RUN_DIR/web.sock" config.wsgi:application',
    "ws": "exec daphne --verbosity 0"
    ' --unix-socket "$RUN_DIR/ws.sock" config.asgi:application',
    "worker": "exec celery -A config worker -l info"
    ' --concurrency "${WORKER_CONCURRENCY:-2}" --without-gossip --without-mingle',
    "beat": 'exec celery -A config beat -l info --schedule "$RUN_DIR/celerybeat-schedule"',
}
# how a Procfile entry is recognised when it is not named like the role
SIGNS = {
    "web": re.compile(r"\bgunicorn\b"),
    "ws": re.compile(r"\bdaphne\b"),
    "worker": re.compile(r"\bcelery\b.*\bworker\b"),
    "beat": re.compile(r"\bcelery\b.*\bbeat\b"),
}

# Every process group started here, so that an interrupted run still ends them.
LIVE: dict[int, str] = {}


def procfile_entries() -> dict[str, str]:
    if not PROCFILE.exists():
        return {}
    found = {}
    for line in PROCFILE.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line.strip())
        if match and not line.lstrip().startswith("#"):
            found[match.group(1)] = match.group(2).strip()
    return found


def commands() -> dict[str, dict[str, str]]:
    """Each role's command and where it came from."""
    entries = procfile_entries()
    found = {}
    for role in ROLES:
        if role in entries and SIGNS[role].search(entries[role]):
            found[role] = {"command": entries[role], "from": f"Procfile ({role})"}
            continue
        named = [
            n for n, c in entries.items() if n != "proxy" and SIGNS[role].search(c)
        ]
        if named:
            found[role] = {
                "command": entries[named[0]],
                "from": f"Procfile ({named[0]})",
            }
        else:
            found[role] = {"command": DEFAULTS[role], "from": "bench/stack.py DEFAULTS"}
    return found


def _expand(text: str, env: dict[str, str]) -> str:
    """What sh would make of the Procfile's variables, to find the bind address."""

    def one(match: re.Match[str]) -> str:
        name, default = match.group(1) or match.group(3), match.group(2)
        value = env.get(name, "")
        return value if value or default is None else default

    return re.sub(
        r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)",
        lambda m: one(m) if m.group(1) else env.get(m.group(3), ""),
        text,
    )


def endpoint_of(command: str, env: dict[str, str]) -> Endpoint | None:
    """Where a gunicorn or Daphne command listens."""
    words = shlex.split(_expand(command, env))
    value: dict[str, str] = {}
    for index, word in enumerate(words):
        for flag in ("--bind", "-b", "--unix-socket", "-u", "--port", "-p"):
            if word == flag and index + 1 < len(words):
                value[flag.lstrip("-")[0]] = words[index + 1]
            elif word.startswith(f"{flag}=") and flag.startswith("--"):
                value[flag.lstrip("-")[0]] = word.split("=", 1)[1]
    if "u" in value:
        return Endpoint(path=value["u"])
    bind = value.get("b", "")
    if bind.startswith("unix:"):
        return Endpoint(path=bind.removeprefix("unix:"))
    if ":" in bind:
        return Endpoint(port=int(bind.rsplit(":", 1)[1]))
    if "p" in value:
        return Endpoint(port=int(value["p"]))
    return None


@dataclass
class Process:
    role: str
    command: str
    popen: subprocess.Popen[bytes]
    log: Path
    endpoint: Endpoint | None

    @property
    def pid(self) -> int:
        return self.popen.pid


@dataclass
class Stack:
    """Some of the Procfile's processes, started together and ended together."""

    env: dict[str, str]
    run_dir: Path
    roles: tuple[str, ...] = ROLES
    label: str = "stack"
    processes: dict[str, Process] = field(default_factory=dict)

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        chosen = commands()
        for role in self.roles:
            self._spawn(role, chosen[role]["command"])
        for process in self.processes.values():
            self._wait_ready(process)

    def _spawn(self, role: str, command: str) -> None:
        bin_dir = str(Path(sys.executable).parent)
        env = {
            **self.env,
            "RUN_DIR": str(self.run_dir),
            "PORT": str(free_port()),
            "PATH": f"{bin_dir}{os.pathsep}{self.env.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
        if role in ("worker", "beat"):
            # the channel layer reports the messages it drops only at INFO
            env["LOG_LEVEL"] = "INFO"
        log = self.run_dir / f"{self.label}-{role}.log"
        with log.open("wb") as output:
            popen = subprocess.Popen(
                ["/bin/sh", "-c", command],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        LIVE[popen.pid] = f"{self.label}-{role}"
        endpoint = endpoint_of(command, env) if role in ("web", "ws") else None
        self.processes[role] = Process(role, command, popen, log, endpoint)

    def _wait_ready(self, process: Process, seconds: float = 90) -> None:
        if process.endpoint is not None:
            try:
                wait_for_health(process.endpoint, process.popen, seconds)
            except RuntimeError as error:
                raise RuntimeError(f"{error}: {self.tail(process.role)}") from None
            return
        if process.role == "worker":
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if process.popen.poll() is not None:
                    raise RuntimeError(f"worker exited: {self.tail(process.role)}")
                if b" ready." in process.log.read_bytes():
                    return
                time.sleep(0.2)
            raise RuntimeError(f"worker not ready in {seconds} s")
        time.sleep(0.5)
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.role} exited: {self.tail(process.role)}")

    def endpoint(self, role: str) -> Endpoint:
        found = self.processes[role].endpoint
        assert found is not None, f"{role} has no address"
        return found

    def pid(self, role: str) -> int:
        return self.processes[role].pid

    def meter(self) -> CpuMeter:
        return CpuMeter({role: p.pid for role, p in self.processes.items()})

    def tail(self, role: str, lines: int = 5) -> str:
        log = self.processes[role].log
        text = log.read_text(errors="replace") if log.exists() else ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def describe(self) -> dict[str, Any]:
        """Each role's command, where it came from, its address and how many
        processes it runs (gunicorn's master and workers, Celery's pool...)."""
        found = {}
        for role, process in self.processes.items():
            found[role] = {
                "command": process.command,
                "from": commands()[role]["from"],
                "listens": str(process.endpoint) if process.endpoint else None,
                "processes": group_size(process.pid),
            }
        return found

    def stop(self, patience: float = 20) -> None:
        """TERM to each process, then KILL to whatever is left of its group."""
        for process in self.processes.values():
            if process.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + patience
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            end_group(process.pid)
        self.processes.clear()


def group_size(group: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                count += int(stat[2]) == group
    return count


def end_group(pid: int) -> None:
    """SIGKILL to a process group this module started (its leader's pid), if any of
    it is still alive; then reap the leader."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    LIVE.pop(pid, None)


def end_all() -> None:
    """Whatever an interrupted run left: only the groups started here."""
    for pid in list(LIVE):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
    time.sleep(1)
    for pid in list(LIVE):
        end_group(pid)
