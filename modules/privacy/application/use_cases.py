"""Asking for an export of everything a person has."""

from __future__ import annotations

import uuid
from uuid import UUID

from modules.privacy.application.ports import UnitOfWork


def request_export(*, uow: UnitOfWork, requested_by: UUID) -> UUID:
    """A new export, written in the background; while one is still being written,
    asking again returns that one instead of starting a second."""
    with uow:
        running = uow.exports.unfinished()
        if running is not None:
            return running
        export_id = uuid.uuid4()
        uow.exports.add(export_id, requested_by=requested_by, at=uow.clock.now())
        uow.audit.export_requested(actor_id=requested_by)
        uow.jobs.start(export_id)
    return export_id
