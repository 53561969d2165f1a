"""The unread count behind the bell in the header of every signed-in page."""

from __future__ import annotations

from django.http import HttpRequest

from modules.notifications.infrastructure.stores import unread_count
from modules.shared.application.tenancy import TenantNotSetError


def bell(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.tenant_id:
        return {}
    try:
        return {"unread_notifications": unread_count()}
    except TenantNotSetError:  # an error page rendered outside the request's tenant
        return {}
