"""Notification emails, sent by Celery after commit, with retries, and the mailer
that queues them."""

from __future__ import annotations

import smtplib
from uuid import UUID

import structlog
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from modules.identity.api import email_recipients
from modules.notifications.infrastructure.models import Notification
from modules.notifications.infrastructure.texts import title_and_body
from modules.shared.application.tenancy import current_tenant_id, tenant_scope
from modules.shared.infrastructure.tasks import enqueue_on_commit

logger = structlog.get_logger("notifications.mail")


@shared_task(
    name="notifications.send_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email(notification_id: str, tenant_id: str) -> bool:
    """Send once: the row is locked while sending and marked when sent."""
    with tenant_scope(UUID(tenant_id)), transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(id=UUID(notification_id), emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        for address, locale in email_recipients():
            _send(notification, address, locale)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    logger.info("mail.sent", kind=notification.kind)
    return True


def _send(notification: Notification, address: str, locale: str) -> None:
    with translation.override(locale):
        title, body = title_and_body(notification.kind, notification.params)
        context = {
            "title": title,
            "body": body,
            "link": f"{settings.SITE_URL}{reverse('notifications:list')}",
            "settings_link": f"{settings.SITE_URL}{reverse('identity:settings')}",
            "site_url": settings.SITE_URL,
        }
        message = EmailMultiAlternatives(
            subject=title,
            body=render_to_string("notifications/email/notification.txt", context),
            to=[address],
        )
        message.attach_alternative(
            render_to_string("notifications/email/notification.html", context),
            "text/html",
        )
        message.send()


class NotificationMailer:
    """The notifications `Mailer`: one notification to the tenant's people who want
    it, queued on commit; the task sends it once however often it runs."""

    def send(self, notification_id: UUID) -> None:
        enqueue_on_commit(
            send_notification_email, str(notification_id), str(current_tenant_id())
        )
