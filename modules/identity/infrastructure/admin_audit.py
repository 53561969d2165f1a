"""Every change made in the admin also lands in the append-only audit trail.

A receiver on the admin's own LogEntry is the one hook that sees every ModelAdmin,
ours and Django's alike, so no admin can forget to audit.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from modules.identity.application.ports import AuditAction
from modules.identity.infrastructure.models import User
from modules.identity.infrastructure.stores import DjangoAuditTrail
from modules.live.api import close_user_sockets

ADMIN_ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="identity.audit_admin_change")
def audit_admin_change(
    sender: type[LogEntry], instance: LogEntry, created: bool, **_: Any
) -> None:
    if not created:
        return
    actor = (
        User.objects.filter(id=instance.user_id).values_list("id", flat=True).first()
    )
    content_type = instance.content_type
    DjangoAuditTrail().record(
        AuditAction.ADMIN_CHANGE,
        actor_id=actor,
        metadata={
            "operation": ADMIN_ACTIONS.get(instance.action_flag, "unknown"),
            "object_type": f"{content_type.app_label}.{content_type.model}"
            if content_type
            else "",
            "object_id": str(instance.object_id or ""),
            "fields": _changed_fields(instance),
        },
    )


def _changed_fields(entry: LogEntry) -> str:
    """Names of the changed fields only; values may be personal data."""
    try:
        messages = json.loads(entry.change_message or "[]")
    except ValueError:
        return ""
    names: list[str] = []
    for message in messages if isinstance(messages, list) else []:
        names.extend(message.get("changed", {}).get("fields", []))
    return ",".join(str(name) for name in names)


@receiver(post_save, sender=User, dispatch_uid="identity.close_sockets_of_inactive")
def close_sockets_of_revoked(
    sender: type[User], instance: User, created: bool, **_: Any
) -> None:
    """A person deactivated or given a new password (in the admin, by a reset, by
    `changepassword`, anywhere) loses their live sockets; their tokens are refused
    from then on (modules.identity.infrastructure.tokens)."""
    # `_password` holds the new raw password from `set_password` until the save ends.
    password_changed = not created and instance._password is not None  # type: ignore[attr-defined]
    if not instance.is_active or password_changed:
        user_id = instance.id
        reason = "deactivated" if not instance.is_active else "password_changed"
        transaction.on_commit(
            lambda: close_user_sockets(user_id, reason=reason), robust=True
        )
