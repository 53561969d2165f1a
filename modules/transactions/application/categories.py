"""Categories: create, rename, regroup, archive (never delete: postings point at them)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.text import gettext_noop
from modules.transactions.domain.categories import CategoryKind


@dataclass(frozen=True, kw_only=True)
class CategoryRecord:
    id: UUID
    name: str
    kind: CategoryKind
    parent_id: UUID | None
    archived_at: datetime | None


class CategoryStore(Protocol):
    def add(self, category: CategoryRecord) -> None: ...

    def get(self, category_id: UUID) -> CategoryRecord | None: ...

    def update(self, category_id: UUID, changes: Mapping[str, object]) -> None: ...

    def has_children(self, category_id: UUID) -> bool: ...

    def name_taken(
        self,
        *,
        kind: CategoryKind,
        parent_id: UUID | None,
        name: str,
        exclude: UUID | None,
    ) -> bool: ...

    def now(self) -> datetime: ...


def create_category(
    *, store: CategoryStore, name: str, kind: CategoryKind, parent_id: UUID | None
) -> UUID:
    name = _clean_name(name)
    _check_group(store, parent_id, kind)
    _check_unique(store, kind=kind, parent_id=parent_id, name=name)
    category_id = uuid.uuid4()
    store.add(
        CategoryRecord(
            id=category_id, name=name, kind=kind, parent_id=parent_id, archived_at=None
        )
    )
    return category_id


def change_category(
    *, store: CategoryStore, category_id: UUID, changes: Mapping[str, object]
) -> None:
    current = store.get(category_id)
    if current is None:
        raise NotFoundError(gettext_noop("No such category."))
    updates: dict[str, object] = {}
    if "name" in changes:
        updates["name"] = _clean_name(str(changes["name"]))
    if "parent" in changes:
        parent_id = changes["parent"]
        assert parent_id is None or isinstance(parent_id, UUID)
        if parent_id == category_id:
            raise ValidationError.for_field(
                "parent", gettext_noop("A category cannot be its own group.")
            )
        if parent_id is not None and store.has_children(category_id):
            raise ValidationError.for_field(
                "parent",
                gettext_noop("A group with categories cannot join another group."),
            )
        _check_group(store, parent_id, current.kind)
        updates["parent_id"] = parent_id
    if "archived" in changes:
        updates["archived_at"] = (
            (current.archived_at or store.now()) if changes["archived"] else None
        )
    if "name" in updates or "parent_id" in updates:
        _check_unique(
            store,
            kind=current.kind,
            parent_id=updates.get("parent_id", current.parent_id),  # type: ignore[arg-type]
            name=str(updates.get("name", current.name)),
            exclude=category_id,
        )
    if updates:
        store.update(category_id, updates)


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError.for_field(
            "name", gettext_noop("Give the category a name.")
        )
    return cleaned


def _check_group(
    store: CategoryStore, parent_id: UUID | None, kind: CategoryKind
) -> None:
    if parent_id is None:
        return
    parent = store.get(parent_id)
    if parent is None:
        raise ValidationError.for_field(
            "parent", gettext_noop("No such group."), code="not_found"
        )
    if parent.parent_id is not None or parent.kind is not kind:
        raise ValidationError.for_field(
            "parent", gettext_noop("A group is a top-level category of the same kind.")
        )


def _check_unique(
    store: CategoryStore,
    *,
    kind: CategoryKind,
    parent_id: UUID | None,
    name: str,
    exclude: UUID | None = None,
) -> None:
    if store.name_taken(kind=kind, parent_id=parent_id, name=name, exclude=exclude):
        raise ValidationError.for_field(
            "name",
            gettext_noop("A category with this name already exists here."),
            code="unique",
        )
