"""The notifications unit of work: making notifications and marking them read."""

from __future__ import annotations

from functools import cached_property

from modules.identity import api as identity
from modules.live.api import OutboxWriter
from modules.notifications.infrastructure.stores import DjangoNotificationStore
from modules.notifications.infrastructure.tasks import NotificationMailer
from modules.shared.domain.notifications import NotificationKind
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class OwnerAsRecipient:
    """The notifications module's `Recipients`, answered by identity's API (read
    only when a notification is made)."""

    @cached_property
    def _choices(self) -> identity.EmailChoices:
        return identity.owner_email_choices()

    def wants_email(self, kind: NotificationKind) -> bool:
        return self._choices.wants(kind.value)

    def locale(self) -> str:
        return self._choices.locale


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.recipients = OwnerAsRecipient()
        self.notifications = DjangoNotificationStore(locale=self.recipients.locale)
        self.mailer = NotificationMailer()
        self.events = OutboxWriter(self.clock)


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
