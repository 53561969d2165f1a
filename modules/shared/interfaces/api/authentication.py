"""API authentication that also activates the caller's tenant for the request."""

from __future__ import annotations

from typing import Any

import structlog
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication

from modules.shared.application.tenancy import activate_tenant


class TenantJWTAuthentication(JWTAuthentication):
    """Bearer access tokens; the tenant slot itself is opened and closed by
    `TenantMiddleware`, so activating here lasts exactly one request."""

    def get_user(self, validated_token: Any) -> Any:
        """The person the token classes in settings already loaded while checking
        the token (identity's session tokens do), else simplejwt's own lookup."""
        return getattr(validated_token, "user", None) or super().get_user(
            validated_token
        )

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if not user.tenant_id:
            return None
        activate_tenant(user.tenant_id)
        structlog.contextvars.bind_contextvars(tenant_id=str(user.tenant_id))
        return user, token


class TenantJWTScheme(SimpleJWTScheme):
    """Documents the Bearer scheme in OpenAPI (registered on import)."""

    target_class = TenantJWTAuthentication
    name = "jwtAuth"
