"""Django's PostgreSQL backend, plus: before a query, the session is made what
`session_state` says (role, tenant, cross-tenant flag) if it is not already.

What was set is remembered per connection and forgotten whenever it may no longer
hold: a connection handed out (new, or from the pool, still set for its last user)
and any rollback, which undoes a `set_config` made inside it."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from modules.shared.infrastructure.database import session_state

# Statements that must come first in a transaction, or run in an aborted one: the
# session is bound at the next query instead.
UNBOUND = ("SET TRANSACTION", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
BIND = (
    "SELECT set_config('role', %s, false), set_config('finance.tenant_id', %s, false),"
    " set_config('finance.cross_tenant', %s, false)"
)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bound: tuple[str, str, str] | None = None
        self.execute_wrappers.append(self._bind_session)

    def init_connection_state(self) -> None:
        super().init_connection_state()
        self._bound = None

    def _rollback(self) -> None:
        self._bound = None
        super()._rollback()

    def _savepoint_rollback(self, sid: str) -> None:
        self._bound = None
        super()._savepoint_rollback(sid)

    def _bind_session(
        self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        wanted = session_state(self.alias)
        if wanted != self._bound and not sql.lstrip().upper().startswith(UNBOUND):
            context["cursor"].cursor.execute(BIND, wanted)
            self._bound = wanted
        return execute(sql, params, many, context)
