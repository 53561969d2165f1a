"""Categories: create, rename, regroup, archive (never delete: postings point at them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from uuid import UUID

from modules.shared.application.commands import (
    UNCHANGED,
    Unchanged,
    archived_at,
    given,
)
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.names import clean_name
from modules.shared.domain.text import gettext_noop
from modules.transactions.application.ports import CategoryStore, UnitOfWork
from modules.transactions.domain.categories import Category, CategoryKind


@dataclass(frozen=True, kw_only=True)
class CreateCategory:
    name: str
    kind: CategoryKind
    parent: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeCategory:
    """Rename, move to another group of its kind (`parent=None`: the top level),
    archive or restore; the kind never changes."""

    category_id: UUID
    name: str | Unchanged = UNCHANGED
    parent: UUID | Unchanged | None = UNCHANGED
    archived: bool | Unchanged = UNCHANGED


def create_category(*, uow: UnitOfWork, command: CreateCategory) -> UUID:
    name = _clean_name(command.name)
    with uow:
        store = uow.categories
        _check_group(store, command.parent, command.kind)
        _check_unique(store, kind=command.kind, parent_id=command.parent, name=name)
        category = Category(
            id=uuid.uuid4(), name=name, kind=command.kind, parent_id=command.parent
        )
        store.add(category)
    return category.id


def change_category(*, uow: UnitOfWork, command: ChangeCategory) -> None:
    """Renaming alone never re-checks the group; a move checks the group and that
    the category holds no others (groups are one level deep)."""
    with uow:
        store = uow.categories
        current = store.get(command.category_id)
        if current is None:
            raise NotFoundError(gettext_noop("No such category."))
        if command.parent is not UNCHANGED:
            _check_move(store, current, command.parent)
        updated = replace(
            current,
            name=(
                current.name if command.name is UNCHANGED else _clean_name(command.name)
            ),
            parent_id=given(command.parent, current.parent_id),
            archived_at=archived_at(
                current.archived_at, command.archived, now=uow.clock.now()
            ),
        )
        if (updated.name, updated.parent_id) != (current.name, current.parent_id):
            _check_unique(
                store,
                kind=current.kind,
                parent_id=updated.parent_id,
                name=updated.name,
                exclude=current.id,
            )
        if updated != current:
            store.save(updated)


def _check_move(
    store: CategoryStore, current: Category, parent_id: UUID | None
) -> None:
    if parent_id == current.id:
        raise ValidationError.for_field(
            "parent", gettext_noop("A category cannot be its own group.")
        )
    if parent_id is not None and store.has_children(current.id):
        raise ValidationError.for_field(
            "parent",
            gettext_noop("A group with categories cannot join another group."),
        )
    _check_group(store, parent_id, current.kind)


def _clean_name(name: str) -> str:
    return clean_name(
        name, field="name", empty_message=gettext_noop("Give the category a name.")
    )


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
