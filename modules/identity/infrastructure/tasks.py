"""Account emails (verification, password reset, a sign-up with a taken address),
sent by Celery after commit, and the mailer that queues them."""

from __future__ import annotations

import smtplib
from uuid import UUID

import structlog
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from modules.identity.application.ports import AccountMail
from modules.identity.domain.members import Member
from modules.identity.infrastructure.models import User
from modules.identity.infrastructure.stores import SignedLinkTokens
from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure.tasks import enqueue_on_commit

logger = structlog.get_logger("identity.mail")

LINK_ROUTES = {
    AccountMail.VERIFY_EMAIL: "identity:verify-email",
    AccountMail.RESET_PASSWORD: "identity:password-reset-confirm",
    AccountMail.ALREADY_REGISTERED: "identity:login",
}
# Mails whose link carries a one-time token; the others link to a plain page.
TOKEN_MAILS = frozenset({AccountMail.VERIFY_EMAIL, AccountMail.RESET_PASSWORD})


@shared_task(
    name="identity.send_account_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_account_email(member_id: str, kind: str, tenant_id: str) -> None:
    """Render in the person's language and send; the link token is made here, so no
    secret ever travels through the broker."""
    user = User.objects.select_related("profile").get(id=UUID(member_id))
    if str(user.tenant_id) != tenant_id:
        logger.error("mail.tenant_mismatch", member_id=member_id)
        return
    mail = AccountMail(kind)
    with tenant_scope(user.tenant_id), translation.override(user.profile.locale):
        link = f"{settings.SITE_URL}{reverse(LINK_ROUTES[mail])}"
        if mail in TOKEN_MAILS:
            link += f"?token={SignedLinkTokens().make(mail, user.id)}"
        reset_link = f"{settings.SITE_URL}{reverse('identity:password-reset')}"
        context = {
            "link": link,
            "reset_link": reset_link,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"identity/email/{mail.value}_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string(f"identity/email/{mail.value}.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string(f"identity/email/{mail.value}.html", context), "text/html"
        )
        message.send()
    logger.info("mail.sent", kind=mail.value, member_id=member_id)


class AccountMailer:
    """The identity `Mailer`: one account email to one member, queued on commit (a
    rolled-back sign-up sends nothing); the task makes the link."""

    def send(self, kind: AccountMail, member: Member) -> None:
        enqueue_on_commit(
            send_account_email, str(member.id), kind.value, str(member.tenant_id)
        )
