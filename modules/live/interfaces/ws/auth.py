"""Websocket handshake authentication: the session cookie or `Authorization: Bearer`.

A token in the query string is refused outright (it would end up in access logs).
A cookie-authenticated socket must come from one of our own origins, which stops
another site from opening a socket with a visitor's cookie.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from channels.auth import AuthMiddlewareStack, get_user
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import validate_host
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

QUERY_TOKEN_NAMES = frozenset(
    {"token", "access", "access_token", "jwt", "authorization", "bearer"}
)


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


@database_sync_to_async
def _user_for_access_token(raw: str) -> tuple[Any, int | None]:
    """The token's user and its expiry (epoch seconds), or an anonymous user: the
    API's own check (the token classes in settings), so a token the API refuses
    (expired, revoked, password changed, person deactivated) opens no socket."""
    authentication = JWTAuthentication()
    try:
        token = authentication.get_validated_token(raw.encode())
        user = authentication.get_user(token)
    except (InvalidToken, AuthenticationFailed):
        return AnonymousUser(), None
    return user, int(token["exp"])


def _origin_allowed(scope: dict[str, Any]) -> bool:
    origin = _header(scope, b"origin")
    if origin is None:
        return False
    host = urlsplit(origin).hostname or ""
    return validate_host(host, settings.ALLOWED_HOSTS)


class BearerOrSessionAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        scope = dict(scope)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        authorization = _header(scope, b"authorization")
        if QUERY_TOKEN_NAMES & {key.lower() for key in query}:
            scope["user"], scope["auth_error"] = (
                AnonymousUser(),
                "token_in_query_string",
            )
        elif authorization is not None:
            kind, _, raw = authorization.partition(" ")
            valid = kind.lower() == "bearer" and raw
            scope["user"], scope["token_expires_at"] = (
                await _user_for_access_token(raw) if valid else (AnonymousUser(), None)
            )
            scope["auth_method"] = "bearer"
        else:
            user = await get_user(scope)
            scope["user"] = user if _origin_allowed(scope) else AnonymousUser()
            scope["auth_method"] = "session"
        return await super().__call__(scope, receive, send)


def WebsocketAuthStack(inner: Any) -> Any:
    return AuthMiddlewareStack(BearerOrSessionAuthMiddleware(inner))
