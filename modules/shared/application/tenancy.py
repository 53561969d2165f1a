"""The current tenant of this request, socket or task.

This is the one place where the tenant is set. Everything that reads tenant-owned data
asks `current_tenant_id()`, which fails closed when no tenant is active.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from uuid import UUID

_current_tenant: ContextVar[UUID | None] = ContextVar("current_tenant", default=None)


class TenantNotSetError(RuntimeError):
    """A tenant-owned table was queried with no tenant active: a bug, never a 404."""


def current_tenant_id() -> UUID:
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        raise TenantNotSetError("no tenant is active in this context")
    return tenant_id


def activate_tenant(tenant_id: UUID | None) -> Token[UUID | None]:
    return _current_tenant.set(tenant_id)


def deactivate_tenant(token: Token[UUID | None]) -> None:
    _current_tenant.reset(token)


@contextmanager
def tenant_scope(tenant_id: UUID) -> Iterator[UUID]:
    """Run a block as `tenant_id`, restoring whatever was active before."""
    token = activate_tenant(tenant_id)
    try:
        yield tenant_id
    finally:
        deactivate_tenant(token)
