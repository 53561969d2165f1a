"""`manage.py run_demo`, what `make run` runs: check the services, migrate and seed
(prepare_demo), serve web, API and websocket with Daphne, and once the server answers
print what the seed said (the demo credentials) and the URL, last, below any start-up
noise. Ctrl-C stops the server (the terminal sends it to both processes)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from modules.recurring import api as recurring

STARTUP_TIMEOUT_SECONDS = 60
SWEEP_EVERY_SECONDS = 15 * 60  # as the beat schedule does where there is a beat
STOP_TIMEOUT_SECONDS = 10
GRACE_SECONDS = 3  # Daphne takes about a second to stop after its own Ctrl-C


def daphne_command(host: str, port: int) -> list[str]:
    """Daphne on our ASGI application, without its own access log: the request
    middleware already writes one JSON line per request, without the query string
    that Daphne's line would carry (a password-reset token, say)."""
    module, _, attribute = settings.ASGI_APPLICATION.rpartition(".")
    return [
        sys.executable,
        "-m",
        "daphne",
        "--verbosity",
        "0",  # no access log; our logging settings still apply
        "--bind",
        host,
        "--port",
        str(port),
        f"{module}:{attribute}",
    ]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server will: a port a previous run left in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_answers(
    url: str, server: subprocess.Popen[bytes], timeout: float
) -> bool:
    """True once `url` answers at all; False if the server exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - our own http URL
                return True
        except urllib.error.HTTPError:
            return True  # any HTTP answer means the server is up
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    return False


def stop(server: subprocess.Popen[bytes]) -> int:
    """Let the server finish the Ctrl-C it received too; then insist."""
    for send in (None, signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if send is not None and server.poll() is None:
            server.send_signal(send)
        try:
            return server.wait(
                timeout=GRACE_SECONDS if send is None else STOP_TIMEOUT_SECONDS
            )
        except subprocess.TimeoutExpired:
            continue
    return server.wait()


def in_process_tasks() -> bool:
    """The embedded default: no broker, so no beat either."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def sweep_recurring(stderr: Any) -> None:
    """Record the recurring dates due by now; a failure is reported, not fatal."""
    try:
        recurring.sweep_all()
    except Exception as error:  # the server must keep running
        stderr.write(f"warning: the recurring sweep failed: {error}")
    finally:
        connections.close_all()


def enforce_retention(stderr: Any) -> None:
    """Delete what is past its retention period and erase closed accounts past
    their grace (the privacy module's command); a failure is reported, not fatal."""
    try:
        call_command("enforce_retention", stdout=StringIO())
    except Exception as error:  # the server must keep running
        stderr.write(f"warning: the retention job failed: {error}")
    finally:
        connections.close_all()


def wait_sweeping(server: subprocess.Popen[bytes]) -> int:
    """Wait for the server, running the recurring sweep and the retention job
    every quarter of an hour in this process, which only waits otherwise (what
    beat does elsewhere)."""
    while True:
        try:
            return server.wait(timeout=SWEEP_EVERY_SECONDS)
        except subprocess.TimeoutExpired:
            sweep_recurring(sys.stderr)
            enforce_retention(sys.stderr)


class Command(BaseCommand):
    help = "Check, migrate and seed, then serve with Daphne and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not port_is_free(host, port):
            self.stderr.write(
                f"error: port {port} on {host} is taken. Stop what runs there, or "
                f"pick another port: PORT={port + 1} make run."
            )
            raise SystemExit(1)
        seeded = StringIO()
        try:
            call_command("prepare_demo", stdout=seeded)
        except KeyboardInterrupt:
            raise SystemExit(130) from None  # Ctrl-C while seeding: no traceback
        if in_process_tasks():
            sweep_recurring(self.stderr)  # on start-up: catch up after downtime
            enforce_retention(self.stderr)
        connections.close_all()
        url = f"http://{host}:{port}/"
        server = subprocess.Popen(daphne_command(host, port))  # noqa: S603 - fixed argv
        # A `kill` of this process stops the server as well, instead of orphaning it.
        signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGTERM))
        try:
            if wait_until_answers(f"{url}health/", server, STARTUP_TIMEOUT_SECONDS):
                self.stdout.write("\n" + seeded.getvalue().strip())
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Open {url} (web, API and websocket). Ctrl-C stops."
                    )
                )
                self.stdout.flush()
            elif server.poll() is None:
                self.stderr.write(
                    f"warning: the server did not answer {url} within "
                    f"{STARTUP_TIMEOUT_SECONDS} s; see its lines above."
                )
            code = wait_sweeping(server) if in_process_tasks() else server.wait()
        except KeyboardInterrupt:
            stop(server)
            self.stdout.write("Stopped.")
            return
        if code > 0:  # a server that failed; one stopped by a signal is not news
            raise SystemExit(code)
