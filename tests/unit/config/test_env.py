"""A bad environment stops start-up with a message that names the variable."""

from __future__ import annotations

from typing import Any

import pytest

from config.env import AppSettings, ConfigurationError, load_settings

GOOD = {
    "SECRET_KEY": "a-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-ok",
    "DEBUG": "false",
    "EMAIL_URL": "smtp://mail.example.com:25",
}


@pytest.fixture
def environment(monkeypatch: Any) -> Any:
    def apply(**values: str) -> None:
        for key in (
            "SECRET_KEY",
            "DEBUG",
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "SITE_URL",
            "LOG_LEVEL",
            "ALLOWED_HOSTS",
        ):
            monkeypatch.delenv(key, raising=False)
        for key, value in {**GOOD, **values}.items():
            monkeypatch.setenv(key, value)

    monkeypatch.setitem(AppSettings.model_config, "env_file", None)
    return apply


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://localhost/db"),
        ("REDIS_URL", "http://localhost:6379"),
        ("EMAIL_URL", "carrier-pigeon://coop"),
        ("SITE_URL", "not a url"),
        ("LOG_LEVEL", "LOUD"),
        ("DEBUG", "perhaps"),
    ],
)
def test_bad_value_names_the_variable(
    environment: Any, variable: str, value: str
) -> None:
    environment(**{variable: value})
    with pytest.raises(ConfigurationError, match=variable):
        load_settings()


def test_secret_key_is_required_outside_debug(
    environment: Any, monkeypatch: Any
) -> None:
    environment()
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_settings()


def test_debug_runs_without_a_secret_key(environment: Any, monkeypatch: Any) -> None:
    environment(DEBUG="true")
    monkeypatch.delenv("SECRET_KEY")
    assert load_settings().DEBUG is True


@pytest.mark.parametrize("key", ["k" * 49, "ab" * 40, "django"])
def test_a_weak_secret_key_is_refused_outside_debug(environment: Any, key: str) -> None:
    environment(SECRET_KEY=key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_settings()


def test_email_url_is_required_outside_debug(
    environment: Any, monkeypatch: Any
) -> None:
    environment()
    monkeypatch.delenv("EMAIL_URL")
    with pytest.raises(ConfigurationError, match="EMAIL_URL"):
        load_settings()


def test_defaults_are_the_embedded_stack(environment: Any, monkeypatch: Any) -> None:
    environment(REDIS_URL="", DEBUG="true")
    monkeypatch.delenv("EMAIL_URL")
    settings = load_settings()
    assert settings.DATABASE_URL.startswith("sqlite:///")
    assert settings.DATABASE_URL.endswith("var/db.sqlite3")
    assert settings.REDIS_URL is None
    assert settings.EMAIL_URL.startswith("file://") and settings.EMAIL_URL.endswith(
        "var/mail"
    )


def test_allowed_hosts_is_a_comma_list(environment: Any) -> None:
    environment(ALLOWED_HOSTS="a.example, b.example")
    assert load_settings().ALLOWED_HOSTS == ["a.example", "b.example"]


def test_env_example_lists_every_setting() -> None:
    from config.env import BASE_DIR

    example = (BASE_DIR / ".env.example").read_text()
    for name in AppSettings.model_fields:
        assert f"{name}=" in example, name
