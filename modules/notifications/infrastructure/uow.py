"""The notifications units of work: one for making notifications, one for read marks."""

from __future__ import annotations

from functools import cached_property

from modules.identity import api as identity
from modules.live.api import OutboxWriter
from modules.notifications.infrastructure.stores import (
    CeleryMailer,
    DjangoNotificationStore,
    DjangoReadMarks,
)
from modules.shared.domain.notifications import NotificationKind
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class OwnerAsRecipient:
    """The notifications module's `Recipients`, answered by identity's API."""

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
        self.mail = CeleryMailer()
        self.events = OutboxWriter()


class ReadMarksUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.marks = DjangoReadMarks()
        self.events = OutboxWriter()


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
