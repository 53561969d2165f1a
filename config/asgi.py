"""ASGI entry point: HTTP through Django, websockets through Channels.

`make run` serves everything from it with one Daphne. In the production shape (`make
up`, compose; ADR 0009) Daphne gets only `/ws/` from the proxy, and gunicorn serves
HTTP from `config.wsgi`; the HTTP route here still answers the container health check.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from modules.live.interfaces.ws.auth import WebsocketAuthStack  # noqa: E402
from modules.live.interfaces.ws.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": WebsocketAuthStack(URLRouter(websocket_urlpatterns)),
    }
)
