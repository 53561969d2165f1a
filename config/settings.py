"""Django settings, built from the typed environment schema in `config.env`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.checks import install_startup_checks
from config.env import BASE_DIR, VAR_DIR, load_settings
from config.logging import build_logging_config, configure_structlog

env = load_settings()

SECRET_KEY = env.SECRET_KEY.get_secret_value() if env.SECRET_KEY else "dev-" + "x" * 60
# The key of the recovery codes' HMAC (ADR 0019): a key of its own, so rotating
# SECRET_KEY does not void everyone's codes. Unset, it is SECRET_KEY (as before).
RECOVERY_CODE_KEY = (
    env.RECOVERY_CODE_KEY.get_secret_value() if env.RECOVERY_CODE_KEY else SECRET_KEY
)
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS
SITE_URL = env.SITE_URL
CSRF_TRUSTED_ORIGINS = [SITE_URL]
REDIS_URL = env.REDIS_URL

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_prometheus",
    "csp",
    "modules.shared.infrastructure",
    "modules.live.infrastructure",
    "modules.shared.interfaces.web",
    "modules.identity.infrastructure",
    "modules.identity.interfaces.cli",
    "modules.notifications.infrastructure",
    "modules.accounts.infrastructure",
    "modules.accounts.interfaces.cli",
    "modules.transactions.infrastructure",
    "modules.transactions.interfaces.cli",
    "modules.budgets.infrastructure",
    "modules.recurring.infrastructure",
    "modules.loans.infrastructure",
    "modules.privacy.infrastructure",
    "modules.imports.infrastructure",
    "modules.recurring.interfaces.cli",
    "modules.privacy.interfaces.cli",
    "modules.accounts.interfaces.web",
    "modules.demo.interfaces.cli",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "modules.shared.interfaces.http.middleware.RequestIdMiddleware",
    "modules.shared.interfaces.http.middleware.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "modules.identity.interfaces.web.middleware.WebSignInMiddleware",
    "modules.identity.interfaces.web.middleware.AdminSecondFactorMiddleware",
    "modules.shared.interfaces.http.middleware.TenantMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "modules.shared.interfaces.http.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "modules.shared.interfaces.http.middleware.RateLimitHeadersMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "modules.shared.interfaces.web.context_processors.site",
                "modules.notifications.interfaces.web.context_processors.bell",
            ],
        },
    },
]


# --- Database -----------------------------------------------------------------
def _database(url: str) -> dict[str, object]:
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    else:
        # Under ASGI each request may run on another thread, so persistent connections
        # pile up instead of being reused: a pool shares a few between them.
        config["CONN_MAX_AGE"] = 0
        # The backend switches each connection to the app's role (ADR 0022).
        config["ENGINE"] = "modules.shared.infrastructure.postgresql"
        config["OPTIONS"] = {"pool": {"min_size": 2, "max_size": 16, "timeout": 10}}
    return config


DATABASES = {"default": _database(env.DATABASE_URL)}
DATABASE_APP_ROLE = env.DATABASE_APP_ROLE
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The balance index covers amounts on PostgreSQL; SQLite simply ignores the INCLUDE.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Redis: cache, channel layer, Celery -----------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "finance",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s timeout by default, which breaks the
                # layer's blocking pop (also 5 s): give reads more room than that.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": "finance:ws",
                # The default (100 messages per channel) drops events once a busy
                # process falls behind; clients also see gaps by `sequence` and resume.
                "capacity": 10_000,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
# A write must not hang when the broker is away: publish fails fast, the outbox keeps
# the event and the periodic sweep sends it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# --- Live updates ----------------------------------------------------------------
WS_HEARTBEAT_SECONDS = env.WS_HEARTBEAT_SECONDS

# --- Identity and passwords ----------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = ["modules.identity.infrastructure.auth.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email",)},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "site:dashboard"
LOGOUT_REDIRECT_URL = "site:landing"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
PASSWORD_RESET_TIMEOUT = 60 * 60
LOCKOUT_THRESHOLD = 5
LOCKOUT_DURATION = timedelta(minutes=15)
# The version of the terms a sign-up accepts; a new version needs a new value here.
TERMS_VERSION = "2026-11"
EMAIL_CHANGE_REVERT_WINDOW = timedelta(days=7)
# Signed-in devices (ADR 0019): (idle timeout, absolute lifetime) per kind. An app
# sign-in is its refresh-token family; its idle limit is the refresh token's life.
SIGN_IN_LIFETIMES = {
    "web": (timedelta(days=3), timedelta(days=14)),
    "app": (timedelta(days=7), timedelta(days=60)),
}
# "Last used" is written at most this often per web session (not on every request).
SIGN_IN_TOUCH_INTERVAL = timedelta(minutes=5)

# --- Cookies and transport security --------------------------------------------
SECURE_COOKIES = not DEBUG
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Sessions are stored under a digest of their key, never the key (ADR 0026).
SESSION_ENGINE = "modules.identity.infrastructure.session_store"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and urlsplit(SITE_URL).scheme == "https":
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Probes inside the network speak plain HTTP to the process itself.
    SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
# Every script and style is a file of ours (no inline code, no other origin), so the
# policy needs no nonces; live updates use a websocket to this same site.
_WEBSOCKET_ORIGIN = (
    urlsplit(SITE_URL)
    ._replace(scheme="wss" if SITE_URL.startswith("https") else "ws", path="")
    .geturl()
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF, _WEBSOCKET_ORIGIN],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_FAILURE_VIEW = "modules.shared.interfaces.web.errors.csrf_failure"

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Finished data exports wait here for their download (the worker writes, web serves).
EXPORT_ROOT = env.EXPORT_DIR
# A closed account can be reopened from the mailed link for this long, then it is erased.
ACCOUNT_CLOSURE_GRACE = timedelta(days=env.ACCOUNT_CLOSURE_GRACE_DAYS)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


# --- Email ---------------------------------------------------------------------
def _email(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "modules.shared.infrastructure.mail.FileAndConsoleEmailBackend",
    }
    if parts.scheme in backends:
        return {"EMAIL_BACKEND": backends[parts.scheme], "EMAIL_FILE_PATH": parts.path}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or 25,
        "EMAIL_HOST_USER": parts.username or "",
        "EMAIL_HOST_PASSWORD": parts.password or "",
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": 10,
    }


globals().update(_email(str(env.EMAIL_URL)))
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL

# --- REST framework, JWT, OpenAPI ----------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "modules.shared.interfaces.api.authentication.TenantJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["modules.shared.interfaces.api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "modules.shared.interfaces.api.throttling.AnonymousRateThrottle",
        "modules.shared.interfaces.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.API_ANON_RATE,
        "user": env.API_USER_RATE,
        "auth": env.API_AUTH_RATE,
    },
    "NUM_PROXIES": env.TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "modules.shared.interfaces.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "CHECK_REVOKE_TOKEN": True,
    "AUTH_TOKEN_CLASSES": (
        "modules.identity.infrastructure.tokens.SessionAccessToken",
    ),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Finance API",
    "DESCRIPTION": "The mobile and partner API of the personal finance service.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["modules.shared.interfaces.api.permissions.StaffUnlessDebug"],
    "SERVE_AUTHENTICATION": ["rest_framework.authentication.SessionAuthentication"],
    "ENUM_NAME_OVERRIDES": {
        "NotificationKindEnum": "modules.shared.domain.notifications.KIND_VALUES",
        "ExtraEffectEnum": "modules.loans.interfaces.api.serializers.EFFECTS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "modules.shared.interfaces.api.schema.document_not_found",
    ],
}

# --- Observability -------------------------------------------------------------
LOG_LEVEL = env.LOG_LEVEL
LOGGING_CONFIG = None
configure_structlog(LOG_LEVEL)
LOGGING = build_logging_config(LOG_LEVEL)
PROMETHEUS_METRIC_NAMESPACE = "finance"
METRICS_TOKEN = env.METRICS_TOKEN.get_secret_value() if env.METRICS_TOKEN else ""

# --- Start-up checks -------------------------------------------------------------
# A missing database, Redis or broker stops migrate, `make run`, Celery workers and
# beat with one line naming the variable and what to do (config/checks.py).
install_startup_checks()

if env.SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=env.SENTRY_DSN.get_secret_value(),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
