"""Account emails (verification, password reset, a sign-up with a taken address,
the notices of a changed password or address), sent by Celery after commit, and
the mailer that queues them."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from uuid import UUID

import structlog
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from modules.identity.application.ports import AccountMail
from modules.identity.domain.members import Member
from modules.identity.infrastructure.email_changes import link_token
from modules.identity.infrastructure.models import EmailChange, User
from modules.identity.infrastructure.stores import SignedLinkTokens
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.text import gettext_noop
from modules.shared.infrastructure.mail import templated_message
from modules.shared.infrastructure.tasks import enqueue_on_commit

logger = structlog.get_logger("identity.mail")

LINK_ROUTES = {
    AccountMail.VERIFY_EMAIL: "identity:verify-email",
    AccountMail.RESET_PASSWORD: "identity:password-reset-confirm",
    AccountMail.ALREADY_REGISTERED: "identity:login",
}
# Mails whose link carries a one-time token; the others link to a plain page.
TOKEN_MAILS = frozenset({AccountMail.VERIFY_EMAIL, AccountMail.RESET_PASSWORD})


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A short mail in the one notice layout; its link, if any, carries the token
    in the fragment, which no server or access log ever sees."""

    subject: str
    lines: tuple[str, ...]
    button: str
    route: str


NOTICES = {
    AccountMail.PASSWORD_CHANGED: Notice(
        subject=gettext_noop("Your Finance password was changed"),
        lines=(
            gettext_noop(
                "The password of your Finance account was just changed, and every "
                "other device was signed out."
            ),
            gettext_noop(
                "If this was not you, choose a new password now with the button "
                "below, then check your signed-in devices in the settings."
            ),
        ),
        button=gettext_noop("Choose a new password"),
        route="identity:password-reset",
    ),
    AccountMail.CONFIRM_EMAIL_CHANGE: Notice(
        subject=gettext_noop("Confirm your new Finance sign-in address"),
        lines=(
            gettext_noop("Someone asked to sign in to Finance with this address."),
            gettext_noop(
                "If it was you, confirm it with the button below; the link works "
                "once and expires in 3 days. If not, ignore this email."
            ),
        ),
        button=gettext_noop("Confirm my new address"),
        route="identity:email-change-confirm",
    ),
    AccountMail.EMAIL_CHANGED: Notice(
        subject=gettext_noop("Your Finance sign-in address was changed"),
        lines=(
            gettext_noop(
                "Your Finance account now signs in with %(new_email)s instead of "
                "this address."
            ),
            gettext_noop(
                "If this was not you, undo it within 7 days with the button below; "
                "every device will be signed out and you will choose a new password."
            ),
        ),
        button=gettext_noop("Undo this change"),
        route="identity:email-change-revert",
    ),
}


@shared_task(
    name="identity.send_account_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_account_email(
    member_id: str, kind: str, tenant_id: str, about: str | None = None
) -> None:
    """Render in the person's language and send; the link token is made here, so no
    secret ever travels through the broker."""
    user = User.objects.select_related("profile").get(id=UUID(member_id))
    if str(user.tenant_id) != tenant_id:
        logger.error("mail.tenant_mismatch", member_id=member_id)
        return
    mail = AccountMail(kind)
    with tenant_scope(user.tenant_id), translation.override(user.profile.locale):
        if mail in NOTICES:
            change = EmailChange.objects.get(id=about, user=user) if about else None
            message = _notice(mail, user=user, change=change)
        else:
            message = _link_mail(mail, user=user)
        message.send()
    logger.info("mail.sent", kind=mail.value, member_id=member_id)


def _link_mail(mail: AccountMail, *, user: User) -> EmailMultiAlternatives:
    link = f"{settings.SITE_URL}{reverse(LINK_ROUTES[mail])}"
    if mail in TOKEN_MAILS:
        link += f"#token={SignedLinkTokens().make(mail, user.id)}"
    reset_link = f"{settings.SITE_URL}{reverse('identity:password-reset')}"
    context = {"link": link, "reset_link": reset_link, "site_url": settings.SITE_URL}
    return templated_message(
        template=f"identity/email/{mail.value}", context=context, to=user.email
    )


def _notice(
    mail: AccountMail, *, user: User, change: EmailChange | None
) -> EmailMultiAlternatives:
    notice = NOTICES[mail]
    link = f"{settings.SITE_URL}{reverse(notice.route)}"
    to = user.email
    if change is not None:
        link = f"{link}#token={link_token(mail, change.id)}"
        to = (
            change.new_email
            if mail is AccountMail.CONFIRM_EMAIL_CHANGE
            else change.old_email
        )
    values = {"new_email": change.new_email if change else ""}
    context = {
        "title": gettext(notice.subject),
        "lines": [gettext(line) % values for line in notice.lines],
        "button": gettext(notice.button),
        "link": link,
        "site_url": settings.SITE_URL,
    }
    return templated_message(
        subject=str(context["title"]),
        template="identity/email/notice",
        context=context,
        to=to,
    )


class AccountMailer:
    """The identity `Mailer`: one account email to one member, queued on commit (a
    rolled-back sign-up sends nothing); the task makes the link."""

    def send(
        self, kind: AccountMail, member: Member, *, about: UUID | None = None
    ) -> None:
        enqueue_on_commit(
            send_account_email,
            str(member.id),
            kind.value,
            str(member.tenant_id),
            str(about) if about else None,
        )
