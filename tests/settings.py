"""Test settings: the real settings, with a throwaway secret and mail kept in memory."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789"
)
os.environ.setdefault("EMAIL_URL", "locmem:")

from config.settings import *  # noqa: F403

# Tasks run in-process in tests; the real-worker tests start their own worker.
CELERY_TASK_ALWAYS_EAGER = True
