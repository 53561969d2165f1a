"""Security headers and settings: a CSP on every page, a Permissions-Policy, nothing
private kept by a cache, operator pages closed outside DEBUG, and `check --deploy`
clean with production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from modules.identity.infrastructure.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "8f2b6c1e-production-like-0a9d7e3f5b4c2a1e9d8c7b6a5f4e3d2c1b",
    "SITE_URL": "https://finance.example.com",
    "ALLOWED_HOSTS": "finance.example.com",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "REDIS_URL": "",
}


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    directives = {
        name: value
        for name, _, value in (part.partition(" ") for part in policy.split("; "))
    }
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_every_response_denies_browser_features(client: Client) -> None:
    policy = client.get("/")["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy


def test_api_answers_are_never_stored(client: Client, signed_in: Any) -> None:
    assert "no-store" in client.get("/api/v1/me")["Cache-Control"]
    me = signed_in(UserFactory()).get("/api/v1/me")
    assert me.status_code == 200
    assert "no-store" in me["Cache-Control"]


def test_signed_in_pages_are_never_stored(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    assert "no-store" in client.get("/")["Cache-Control"]
    assert "no-store" in client.get("/app/")["Cache-Control"]


def test_public_pages_may_be_cached(client: Client) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/metrics", "/api/schema/", "/api/docs/"])
def test_operator_pages_are_for_staff_outside_debug(
    client: Client, settings: Any, path: str
) -> None:
    settings.DEBUG = False
    assert client.get(path).status_code == 403
    client.force_login(UserFactory())
    assert client.get(path).status_code == 403
    client.force_login(User.objects.create_superuser("root@example.com", PASSWORD))
    assert client.get(path).status_code == 200


def test_metrics_take_the_scraper_token_outside_debug(
    client: Client, settings: Any
) -> None:
    settings.DEBUG = False
    settings.METRICS_TOKEN = "scraper-token-0123456789"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    scraped = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer scraper-token-0123456789"
    )
    assert scraped.status_code == 200
    assert b"finance_" in scraped.content or b"django_" in scraped.content


def test_docs_load_their_script_from_a_file(staff_client: Client) -> None:
    page = staff_client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "<script>" not in page
    assert staff_client.get("/api/docs/?script=").status_code == 200


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_compose_ships_no_default_secret_key() -> None:
    compose = (BASE_DIR / "compose" / "docker-compose.yml").read_text()
    line = next(x for x in compose.splitlines() if x.strip().startswith("SECRET_KEY:"))
    assert ":-" not in line
    assert ":?" in line  # compose refuses to start without one


def test_the_image_builds_its_static_files_with_the_dockerfiles_own_command() -> None:
    """The Dockerfile's collectstatic line, in an environment with nothing set."""
    dockerfile = (BASE_DIR / "compose" / "Dockerfile").read_text()
    step = next(
        line.removeprefix("RUN ").split()
        for line in dockerfile.splitlines()
        if line.startswith("RUN") and "collectstatic" in line
    )
    assignments = [word for word in step if "=" in word and not word.startswith("-")]
    command = step[len(assignments) :]
    assert command[:2] == ["python", "manage.py"]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        **dict(word.split("=", 1) for word in assignments),
    }
    result = subprocess.run(
        [sys.executable, *command[1:], "--dry-run"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "static file" in result.stdout
