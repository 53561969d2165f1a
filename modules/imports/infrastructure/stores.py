"""The import tables behind the use cases' ports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When

from modules.imports.application.ports import (
    ImportJob,
    RowChoice,
    ShareToRecord,
    ToRecord,
)
from modules.imports.domain.dedupe import (
    DEFAULT_ACTION,
    Classified,
    RowAction,
    normalised_text,
)
from modules.imports.domain.imports import ImportStatus
from modules.imports.domain.mapping import CsvMapping
from modules.imports.domain.rules import Outcome
from modules.imports.domain.statements import StatementError, StatementRow, line_error
from modules.imports.infrastructure.models import (
    ImportedKey,
    ImportRow,
    StatementImport,
)
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import ConflictError, ValidationError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop
from modules.transactions import api as ledger

CHUNK = 1000


class DjangoImportStore:
    def add(
        self,
        import_id: UUID,
        *,
        account_id: UUID,
        file_name: str,
        content: bytes,
        mapping: CsvMapping | None,
        profile_id: UUID | None,
        source_account: str,
        requested_by: UUID,
        status: ImportStatus,
    ) -> None:
        StatementImport.objects.create(
            status=status,
            id=import_id,
            tenant_id=current_tenant_id(),
            account_id=account_id,
            file_name=file_name[:255],
            content=content,
            mapping=mapping.as_dict() if mapping else None,
            profile_id=profile_id,
            source_account=source_account,
            requested_by=requested_by,
        )

    def set_mapping(
        self, import_id: UUID, mapping: CsvMapping, *, profile_id: UUID | None
    ) -> None:
        StatementImport.objects.filter(id=import_id).update(
            mapping=mapping.as_dict(), profile_id=profile_id
        )

    def get(self, import_id: UUID) -> ImportJob | None:
        row = StatementImport.objects.filter(id=import_id).first()
        if row is None:
            return None
        return ImportJob(
            id=row.id,
            account_id=row.account_id,
            status=ImportStatus(row.status),
            content=bytes(row.content),
            mapping=CsvMapping.from_dict(row.mapping) if row.mapping else None,
            source_account=row.source_account,
        )

    def claim(self, import_id: UUID, *, was: ImportStatus, now: ImportStatus) -> bool:
        return bool(
            StatementImport.objects.filter(id=import_id, status=was).update(status=now)
        )

    def set_status(
        self, import_id: UUID, status: ImportStatus, **fields: object
    ) -> None:
        StatementImport.objects.filter(id=import_id).update(status=status, **fields)

    def fail(self, import_id: UUID, error: StatementError) -> None:
        ImportRow.objects.filter(statement_import_id=import_id).delete()
        StatementImport.objects.filter(id=import_id).update(
            status=ImportStatus.FAILED,
            progress=100,
            error=_error(error),
        )

    def refuse(self, import_id: UUID, error: StatementError) -> None:
        StatementImport.objects.filter(id=import_id).update(
            status=ImportStatus.READY, error=_error(error)
        )

    def add_rows(
        self,
        import_id: UUID,
        *,
        currency: str,
        rows: Sequence[StatementRow],
        classified: Sequence[Classified],
        outcomes: Sequence[Outcome],
    ) -> None:
        tenant_id = current_tenant_id()
        categories = SplitCategories()
        batch = []
        for position, (row, found, outcome) in enumerate(
            zip(rows, classified, outcomes, strict=True)
        ):
            batch.append(
                ImportRow(
                    tenant_id=tenant_id,
                    statement_import_id=import_id,
                    position=position,
                    line=row.line,
                    occurred_on=row.on,
                    amount_minor=_minor(row, currency),
                    currency=currency,
                    payee=(outcome.payee or row.payee)[:120],
                    description=row.description[:255],
                    reference=row.reference[:80],
                    key=found.key,
                    text=normalised_text(row)[:400],
                    status=found.status,
                    action=DEFAULT_ACTION[found.status],
                    category_id=outcome.category_id,
                    transfer_to=outcome.transfer_to,
                    match_entry_id=found.match,
                    splits=categories.shares(row, currency),
                )
            )
            if len(batch) == CHUNK:
                ImportRow.objects.bulk_create(batch)
                batch = []
        ImportRow.objects.bulk_create(batch)

    def row_statuses(self, import_id: UUID) -> dict[int, str]:
        return dict(
            ImportRow.objects.filter(statement_import_id=import_id).values_list(
                "position", "status"
            )
        )

    def apply_choices(self, import_id: UUID, choices: Mapping[int, RowChoice]) -> None:
        rows = ImportRow.objects.filter(statement_import_id=import_id)
        actions = {p: c.action for p, c in choices.items() if c.action is not None}
        categories = {p: c.category_id for p, c in choices.items() if c.category_id}
        if actions:
            rows.filter(position__in=actions).update(
                action=Case(
                    *(When(position=p, then=Value(a.value)) for p, a in actions.items())
                )
            )
        for position, category_id in categories.items():
            rows.filter(position=position).update(category_id=category_id)

    def kept_rows(self, import_id: UUID) -> list[ToRecord]:
        rows = (
            ImportRow.objects.filter(statement_import_id=import_id)
            .exclude(action=RowAction.SKIP)
            .order_by("position")
        )
        return [
            ToRecord(
                position=row.position,
                on=row.occurred_on,
                amount=Money.from_minor(row.amount_minor, row.currency).amount,
                key=row.key,
                text=row.text,
                payee=row.payee,
                description=row.description,
                category_id=row.category_id,
                transfer_to=row.transfer_to,
                match=row.match_entry_id if row.action == RowAction.LINK else None,
                splits=_to_record(row),
            )
            for row in rows.iterator(chunk_size=CHUNK)
        ]

    def mark_recorded(self, import_id: UUID, entries: dict[int, UUID]) -> None:
        rows = ImportRow.objects.filter(statement_import_id=import_id)
        positions = list(entries)
        for start in range(0, len(positions), CHUNK):
            chunk = positions[start : start + CHUNK]
            rows.filter(position__in=chunk).update(
                entry_id=Case(
                    *(When(position=p, then=Value(entries[p])) for p in chunk),
                    output_field=ImportRow._meta.get_field("entry_id"),
                )
            )

    def recorded_entries(self, import_id: UUID) -> list[UUID]:
        return list(
            ImportRow.objects.filter(
                statement_import_id=import_id, entry_id__isnull=False
            ).values_list("entry_id", flat=True)
        )


class SplitCategories:
    """The person's categories that a split's QIF category names (`Bills:Phone/class`:
    the whole name, else its last part, without the class), of the kind its sign
    calls for: income for money in, expense for money out."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, ledger.CategoryKind], UUID] | None = None

    def shares(self, row: StatementRow, currency: str) -> list[dict[str, object]]:
        """A row's splits as stored; one split is no split (the QIF writers that
        give every line one), a split of nothing is left out, and a line of nothing
        keeps none."""
        splits = [split for split in row.splits if split.amount]
        if len(splits) < 2 or not row.amount:
            return []
        return [
            {
                "amount": Money.from_minor(
                    _minor(row, currency, split.amount), currency
                ).to_string(),
                "name": split.category[:120],
                "memo": split.memo[:255],
                "category_id": _text(self.category(split.category, split.amount > 0)),
            }
            for split in splits
        ]

    def category(self, name: str, incoming: bool) -> UUID | None:
        if self.found is None:
            self.found = {
                (c.name.casefold(), c.kind): c.id
                for c in ledger.categories()
                if c.archived_at is None
            }
        kind = ledger.CategoryKind.INCOME if incoming else ledger.CategoryKind.EXPENSE
        bare = name.partition("/")[0].strip().casefold()
        for candidate in (bare, bare.rpartition(":")[2].strip()):
            if candidate and (candidate, kind) in self.found:
                return self.found[candidate, kind]
        return None


def _text(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _to_record(row: ImportRow) -> tuple[ShareToRecord, ...]:
    """A share the statement gives no category takes the row's (the person's choice
    or a rule's) when it goes the row's way."""
    return tuple(
        ShareToRecord(
            amount=share.money.amount,
            category_id=share.category_id
            or (
                row.category_id
                if (share.money.amount > 0) == (row.amount_minor > 0)
                else None
            ),
        )
        for share in row.shares
    )


def _minor(row: StatementRow, currency: str, amount: Decimal | None = None) -> int:
    """`amount` (the row's own by default) in minor units of `currency`."""
    amount = row.amount if amount is None else amount
    try:
        return Money(amount, currency).minor
    except ValidationError:
        raise line_error(
            row.line,
            gettext_noop("%(value)s has more decimals than %(currency)s allows."),
            value=f"{amount}",
            currency=currency,
        ) from None


def _error(error: StatementError) -> dict[str, object]:
    params = {
        k: v if isinstance(v, int | str) else str(v) for k, v in error.params.items()
    }
    return {"what": error.what, "line": error.line, "params": params}


class DjangoDedupe:
    def known_keys(self, account_id: UUID, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            found.update(
                ImportedKey.objects.filter(
                    account_id=account_id, key__in=keys[start : start + CHUNK]
                ).values_list("key", flat=True)
            )
        return found

    def imported(
        self, account_id: UUID, *, start: date, end: date
    ) -> dict[UUID, tuple[str, str]]:
        rows = ImportedKey.objects.filter(
            account_id=account_id, occurred_on__range=(start, end)
        ).values_list("entry_id", "key", "text")
        return {entry_id: (key, text) for entry_id, key, text in rows.iterator(CHUNK)}

    def remember(
        self, import_id: UUID, account_id: UUID, rows: Sequence[tuple[ToRecord, UUID]]
    ) -> None:
        """Refused when another import recorded one of these keys meanwhile."""
        try:
            with transaction.atomic():
                self._add_keys(import_id, account_id, rows)
        except IntegrityError:
            raise ConflictError(
                gettext_noop(
                    "Another import recorded some of these lines meanwhile. "
                    "Upload the file again to see what is still new."
                ),
                code="IMPORT_OVERLAP",
            ) from None

    def _add_keys(
        self, import_id: UUID, account_id: UUID, rows: Sequence[tuple[ToRecord, UUID]]
    ) -> None:
        tenant_id = current_tenant_id()
        ImportedKey.objects.bulk_create(
            [
                ImportedKey(
                    tenant_id=tenant_id,
                    account_id=account_id,
                    key=row.key,
                    text=row.text,
                    occurred_on=row.on,
                    entry_id=entry_id,
                    statement_import_id=import_id,
                )
                for row, entry_id in rows
            ],
            batch_size=CHUNK,
        )

    def forget(self, import_id: UUID) -> None:
        ImportedKey.objects.filter(statement_import_id=import_id).delete()
