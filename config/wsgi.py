"""WSGI entry point: HTTP only, for gunicorn (the `web` process of the Procfile and of
compose). Websockets are Daphne's, from `config.asgi`; the proxy in front of both sends
`/ws/` there (ADR 0009). Workers import this after the fork (no preload), so each opens
its own database pool."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
