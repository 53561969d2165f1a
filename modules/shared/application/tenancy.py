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
_cross_tenant: ContextVar[bool] = ContextVar("cross_tenant", default=False)


class TenantNotSetError(RuntimeError):
    """A tenant-owned table was queried with no tenant active: a bug, never a 404."""


def current_tenant_id() -> UUID:
    tenant_id = _current_tenant.get()
    if tenant_id is None:
        raise TenantNotSetError("no tenant is active in this context")
    return tenant_id


def active_tenant_id() -> UUID | None:
    """The active tenant or None, for the database's own wall (row-level security)."""
    return _current_tenant.get()


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


def is_cross_tenant() -> bool:
    return _cross_tenant.get()


@contextmanager
def cross_tenant() -> Iterator[None]:
    """Run a block that legitimately reads or writes several tenants' rows.

    Only code calls this, never a request's input: the named paths of ADR 0022
    (sign-up and sign-in before the tenant is known, the outbox relay, the sweeps and
    purges over everyone, the admin, the erasure, `ledger_check`, the generators).
    On PostgreSQL it lets the row-level security policies pass every tenant."""
    token = _cross_tenant.set(True)
    try:
        yield
    finally:
        _cross_tenant.reset(token)
