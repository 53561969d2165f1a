"""Retention (issue 13 item 8): each kind of data goes once past its period in
the one table (shared.domain.retention); younger rows stay. On PostgreSQL the
audit trail's append-only trigger lets only events past their period go."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from modules.identity.application.ports import AuditAction
from modules.identity.infrastructure.models import AuditEvent, RevokedTokenFamily
from modules.live.infrastructure.models import OutboxEvent, OutboxStatus
from modules.notifications.infrastructure.models import Notification
from modules.privacy.infrastructure.models import DataExport
from modules.privacy.infrastructure.tasks import enforce_retention
from modules.shared.domain.retention import Kept, kept_for
from modules.shared.infrastructure.models import IdempotencyRecord
from tests.integration.privacy.people import lived_in_person

pytestmark = pytest.mark.django_db


def ago(kind: Kept, extra: timedelta = timedelta(minutes=5)) -> Any:
    return timezone.now() - kept_for(kind) - extra


def test_each_kind_goes_after_its_period_and_younger_rows_stay() -> None:
    person, _, _ = lived_in_person()
    tenant = {"tenant_id": person.tenant_id}
    published = OutboxEvent.all_tenants.filter(**tenant).exclude(
        status=OutboxStatus.PENDING
    )
    old_event = published.first()
    assert old_event is not None
    published.filter(id=old_event.id).update(occurred_at=ago(Kept.OUTBOX_EVENTS))
    pending = OutboxEvent.all_tenants.filter(id=published.last().id)
    pending.update(status=OutboxStatus.PENDING, occurred_at=ago(Kept.OUTBOX_EVENTS))
    Notification.all_tenants.filter(**tenant).update(created_at=ago(Kept.NOTIFICATIONS))
    IdempotencyRecord.all_tenants.filter(**tenant).update(
        created_at=ago(Kept.IDEMPOTENCY_KEYS)
    )
    old_audit = AuditEvent.all_tenants.create(
        action=AuditAction.LOGIN_SUCCEEDED,
        occurred_at=ago(Kept.AUDIT_EVENTS),
        **tenant,
    )
    RevokedTokenFamily.objects.update(revoked_at=ago(Kept.REVOKED_SIGN_INS))
    DataExport.all_tenants.filter(**tenant).update(created_at=ago(Kept.EXPORT_RECORDS))
    young_audit = AuditEvent.all_tenants.filter(**tenant).exclude(id=old_audit.id)
    young_events = published.exclude(id=old_event.id).count()
    assert young_events and young_audit.exists()

    counts = enforce_retention()

    assert counts[Kept.OUTBOX_EVENTS.value] == 1
    assert not OutboxEvent.all_tenants.filter(id=old_event.id).exists()
    assert pending.exists()  # never delivered: kept until it is
    assert not Notification.all_tenants.filter(**tenant).exists()
    assert not IdempotencyRecord.all_tenants.filter(**tenant).exists()
    assert not AuditEvent.all_tenants.filter(id=old_audit.id).exists()
    assert young_audit.exists()
    assert not RevokedTokenFamily.objects.exists()
    assert not DataExport.all_tenants.filter(**tenant).exists()
    assert counts[Kept.CLOSED_ACCOUNTS.value] == 0


def test_the_command_runs_the_same_job(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("enforce_retention")
    out = capsys.readouterr().out
    assert all(f"{kind.value}: 0" in out for kind in Kept)
