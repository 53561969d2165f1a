"""Import profiles: a bank's CSV mapping, saved under a name."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction

from modules.imports.domain.mapping import CsvMapping
from modules.imports.infrastructure.models import ImportProfile
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import ConflictError, NotFoundError
from modules.shared.domain.text import gettext_noop


def save_profile(*, name: str, mapping: CsvMapping) -> ImportProfile:
    """A new profile, or the one of that name with this mapping from now on."""
    with transaction.atomic():
        try:
            profile, _ = ImportProfile.objects.update_or_create(
                name=name.strip(),
                defaults={"mapping": mapping.as_dict()},
                create_defaults={
                    "tenant_id": current_tenant_id(),
                    "mapping": mapping.as_dict(),
                },
            )
        except IntegrityError:
            raise ConflictError(
                gettext_noop("A profile of that name already exists.")
            ) from None
    return profile


def profile_mapping(profile_id: UUID) -> CsvMapping:
    profile = ImportProfile.objects.filter(id=profile_id).first()
    if profile is None:
        raise NotFoundError(gettext_noop("No such import profile."))
    return CsvMapping.from_dict(profile.mapping)
