"""Django's PostgreSQL backend, plus: before a query, the session takes the role
`session_role` names (the app's role, or the owner's in `migrate` and `flush`) if it
does not have it already.

The role set is remembered per connection and forgotten whenever it may no longer
hold: a connection handed out (new, or from the pool) and any rollback, which undoes
a `set_config` made inside it."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from modules.shared.infrastructure.database import session_role

# Statements that must come first in a transaction, or run in an aborted one: the
# role is set at the next query instead.
UNBOUND = ("SET TRANSACTION", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
BIND = "SELECT set_config('role', %s, false)"


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._role: str | None = None
        self.execute_wrappers.append(self._take_role)

    def init_connection_state(self) -> None:
        super().init_connection_state()
        self._role = None

    def _rollback(self) -> None:
        self._role = None
        super()._rollback()

    def _savepoint_rollback(self, sid: str) -> None:
        self._role = None
        super()._savepoint_rollback(sid)

    def _take_role(
        self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        role = session_role(self.alias)
        if role != self._role and not sql.lstrip().upper().startswith(UNBOUND):
            # On a client cursor of its own: the query's cursor may be a named
            # (server-side) one, which would only DECLARE the set_config.
            with self.connection.cursor() as cursor:
                cursor.execute(BIND, [role])
            self._role = role
        return execute(sql, params, many, context)
