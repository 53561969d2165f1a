"""Gunicorn settings of the `web` process (the Procfile's and compose's).

The bind address comes from the command line (a unix socket behind the proxy under
`make up`, 0.0.0.0:8000 in a container). Every value can be changed by the environment.
ADR 0009 has the measurements behind the defaults.
"""

import multiprocessing
import os

# One worker per core (the ADR measured -w 2 on 2 cores); WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Not preloaded: each worker opens its own database pool after the fork.
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
# No max_requests: a recycled worker imports the code again, a latency spike for
# nothing while no leak is known (and, from a working tree being edited, whatever
# half-written code is on disk at that moment).
# No access log: the request middleware writes one JSON line per request already,
# without the query string (a password-reset token, say) that gunicorn's would carry.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "finance-web"
# Gunicorn's control socket (`gunicornc`) would default to one path per user, shared
# by every gunicorn of that user: `make up` puts it in its RUN_DIR, elsewhere it is off.
if os.environ.get("RUN_DIR"):
    control_socket = os.path.join(os.environ["RUN_DIR"], "gunicorn.ctl")
else:
    control_socket_disable = True
