"""The one typed schema of every setting read from the environment (and `.env`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

EMAIL_SCHEMES = ("smtp", "smtps", "smtp+tls", "file", "console", "locmem")
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
RATE_PATTERN = r"^\d+/(s|sec|m|min|h|hour|d|day)$"


class ConfigurationError(Exception):
    """Raised at start-up when the environment holds a value we cannot run with."""


class AppSettings(BaseSettings):
    """Environment variables of the service; `.env.example` lists and explains each."""

    model_config = SettingsConfigDict(
        env_file=BASE_DIR / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    SECRET_KEY: SecretStr | None = None
    RECOVERY_CODE_KEY: SecretStr | None = None
    DEBUG: bool = False
    ALLOWED_HOSTS: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "[::1]"]
    )
    DATABASE_URL: str = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    # PostgreSQL: the role every connection of the app switches to (ADR 0022); it owns
    # nothing. Migrations run as the role of DATABASE_URL. Empty: no switch.
    DATABASE_APP_ROLE: str = Field(
        default="finance_app", pattern=r"^([a-z_][a-z0-9_]{0,62})?$"
    )
    REDIS_URL: str | None = None
    # Unset: mail is written to var/mail/ (and printed) in DEBUG; required otherwise.
    EMAIL_URL: str | None = None
    EXPORT_DIR: Path = VAR_DIR / "exports"
    DEFAULT_FROM_EMAIL: str = "Finance <no-reply@finance.localhost>"
    SENTRY_DSN: SecretStr | None = None
    METRICS_TOKEN: SecretStr | None = None
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    SITE_URL: str = "http://127.0.0.1:8000"
    TRUSTED_PROXIES: int = Field(default=0, ge=0, le=5)
    API_ANON_RATE: str = Field(default="20/min", pattern=RATE_PATTERN)
    API_USER_RATE: str = Field(default="100/min", pattern=RATE_PATTERN)
    API_AUTH_RATE: str = Field(default="5/min", pattern=RATE_PATTERN)
    WS_HEARTBEAT_SECONDS: float = Field(default=25.0, gt=0, le=300)
    ACCOUNT_CLOSURE_GRACE_DAYS: int = Field(default=30, ge=1, le=30)

    @field_validator("ALLOWED_HOSTS", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [host.strip() for host in value.split(",") if host.strip()]
        return value

    @field_validator(
        "REDIS_URL", "SENTRY_DSN", "METRICS_TOKEN", "EMAIL_URL", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("EXPORT_DIR", mode="before")
    @classmethod
    def _empty_is_default_exports(cls, value: object) -> object:
        return VAR_DIR / "exports" if value == "" else value

    @field_validator("DATABASE_URL")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if urlsplit(value).scheme not in DATABASE_SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(DATABASE_SCHEMES)}")
        return value

    @field_validator("REDIS_URL")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("redis", "rediss"):
            raise ValueError("must start with redis:// or rediss://")
        return value

    @field_validator("EMAIL_URL")
    @classmethod
    def _known_email(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in EMAIL_SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(EMAIL_SCHEMES)}")
        return value

    @field_validator("SITE_URL")
    @classmethod
    def _absolute_site(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _secret_outside_debug(self) -> AppSettings:
        """Django's own bar (`check --deploy`): 50+ characters, 5+ different ones."""
        key = self.SECRET_KEY.get_secret_value() if self.SECRET_KEY else ""
        if not self.DEBUG and (len(key) < 50 or len(set(key)) < 5):
            raise ValueError(
                "SECRET_KEY: must be set (50+ random characters) when DEBUG is false"
            )
        return self

    @model_validator(mode="after")
    def _mail_outside_debug(self) -> AppSettings:
        """Outside DEBUG mail must go somewhere chosen: the development default
        prints every message, links and addresses included, to the log."""
        if self.EMAIL_URL is None:
            if not self.DEBUG:
                raise ValueError(
                    "EMAIL_URL: must be set when DEBUG is false "
                    "(smtp://host:port, smtp+tls://..., or file:///path)"
                )
            self.EMAIL_URL = f"file://{VAR_DIR / 'mail'}"
        return self


def load_settings() -> AppSettings:
    """Read the environment, or stop with a message naming each bad variable."""
    try:
        return AppSettings()
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"]) or "settings"
            problems.append(f"  {name}: {item['msg']}")
        raise ConfigurationError(
            "Invalid configuration:\n" + "\n".join(problems)
        ) from None
