"""Web sessions kept under a digest of their key, never the key itself.

The cookie holds the session key; `django_session` and the signed-in devices
(`SignIn.key`) hold only `digest(key)`, so a read of the database gives no live
session. The digest is SHA-256 cut to the 40 characters the `django_session`
key column holds (160 bits; the key itself is 32 random characters).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone


def digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


def end_session(stored_key: str) -> None:
    """Delete a session by the digest its signed-in device keeps."""
    SessionStore.get_model_class().objects.filter(session_key=stored_key).delete()


class SessionStore(db.SessionStore):
    """The database session store, every row read and written by digest."""

    def _get_session_from_db(self) -> Any:
        try:
            return self.model.objects.get(
                session_key=digest(str(self.session_key)),
                expire_date__gt=timezone.now(),
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    async def _aget_session_from_db(self) -> Any:
        try:
            return await self.model.objects.aget(
                session_key=digest(str(self.session_key)),
                expire_date__gt=timezone.now(),
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return super().exists(digest(session_key))

    async def aexists(self, session_key: str) -> bool:
        return await super().aexists(digest(session_key))

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        row = super().create_model_instance(data)
        row.session_key = digest(row.session_key)
        return row

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        row = await super().acreate_model_instance(data)
        row.session_key = digest(row.session_key)
        return row

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is not None:
            end_session(digest(key))

    async def adelete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is not None:
            await self.model.objects.filter(session_key=digest(key)).adelete()
