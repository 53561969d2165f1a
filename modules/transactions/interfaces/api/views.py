"""The ledger's API: transactions (record, list, read, reverse), balance adjustments
and categories. Views parse, call one use case, and render; nothing more."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.accounts import api as accounts
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.idempotency import idempotent
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES
from modules.transactions.application import categories as category_cases
from modules.transactions.application import use_cases
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure import selectors, statements
from modules.transactions.infrastructure.entry_rules import apply_entry_rules
from modules.transactions.infrastructure.models import Category, Entry
from modules.transactions.infrastructure.uow import DjangoUnitOfWork, unit_of_work
from modules.transactions.interfaces.api import serializers as io

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Same key and body replay the first answer; another body answers 422.",
)


class TransactionPage(CursorPage):
    ordering = statements.ENTRY_ORDER


def transaction_response(entry_id: UUID, *, status_code: int = 200) -> Response:
    entry = selectors.entries().filter(id=entry_id).first()
    if entry is None:
        raise NotFoundError(gettext_noop("No such transaction."))
    return Response(
        io.TransactionOutput(selectors.transaction_view(entry)).data, status=status_code
    )


def recorded_response(uow: DjangoUnitOfWork, entry_ids: list[UUID]) -> list[Any]:
    """What was just written, from the rows kept in memory (no read back)."""
    rows = [uow.entries.recorded[entry_id] for entry_id in entry_ids]
    return [io.TransactionOutput(selectors.transaction_view(row)).data for row in rows]


def to_command(data: dict[str, Any]) -> use_cases.RecordFlow | use_cases.RecordTransfer:
    text = EntryText(
        payee=data.get("payee", ""),
        description=data.get("description", ""),
        notes=data.get("notes", ""),
    )
    if data["type"] == "transfer":
        return use_cases.RecordTransfer(
            from_account_id=data["from_account"],
            to_account_id=data["to_account"],
            amount=data["amount"],
            to_amount=data.get("to_amount"),
            on=data["date"],
            text=text,
        )
    return use_cases.RecordFlow(
        direction=EntryKind(data["type"]),
        account_id=data["account"],
        amount=data["amount"],
        on=data["date"],
        category_id=data.get("category"),
        text=text,
    )


class TransactionList(APIView):
    @extend_schema(
        operation_id="list_transactions",
        tags=["transactions"],
        parameters=[io.TransactionQuery],
        responses={
            200: page_schema("TransactionPage", io.TransactionRow(many=True)),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request) -> Response:
        query = io.TransactionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = _filters(query.validated_data)
        paginator = TransactionPage()
        page = paginator.paginate_queryset(selectors.entries(filters), request, self)
        views = _with_running_balances(filters, page or [])
        return paginator.get_paginated_response(
            io.TransactionRow(views, many=True).data
        )

    @extend_schema(
        operation_id="create_transaction",
        tags=["transactions"],
        request=io.TransactionInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.TransactionOutput, **ERROR_RESPONSES},
        summary="Record money in, money out, or a transfer",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.TransactionInput(data=request.data)
        data.is_valid(raise_exception=True)
        uow = unit_of_work()
        entry_id = use_cases.record_transaction(
            uow=uow, command=to_command(data.validated_data), rules=apply_entry_rules
        )
        return Response(
            recorded_response(uow, [entry_id])[0], status=status.HTTP_201_CREATED
        )


class TransactionBatch(APIView):
    @extend_schema(
        operation_id="create_transactions_batch",
        tags=["transactions"],
        request=io.BatchInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.BatchOutput, **ERROR_RESPONSES},
        summary="Record up to 500 transactions at once, all or none",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.BatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        commands = [to_command(item) for item in data.validated_data["transactions"]]
        uow = unit_of_work()
        entry_ids = use_cases.record_batch(uow=uow, commands=commands)
        return Response(
            {"results": recorded_response(uow, entry_ids)},
            status=status.HTTP_201_CREATED,
        )


def _with_running_balances(
    filters: selectors.TransactionFilter, page: list[Entry]
) -> list[selectors.TransactionView]:
    views = [selectors.transaction_view(entry) for entry in page]
    if not (filters.account and filters.follows_one_account and page):
        return views
    account = accounts.accounts_by_id([filters.account])[filters.account]
    after = statements.running_balances(
        account.id, page, currency=account.currency, liability=account.is_liability
    )
    return [replace(view, running_balance=after[view.entry.id]) for view in views]


def _filters(query: dict[str, Any]) -> selectors.TransactionFilter:
    return selectors.TransactionFilter(
        account=query.get("account"),
        category=query.get("category"),
        date_from=query.get("date_from"),
        date_to=query.get("date_to"),
        amount_min=query.get("amount_min"),
        amount_max=query.get("amount_max"),
        text=query.get("q", ""),
        kind=EntryKind(query["type"]) if query.get("type") else None,
    )


class TransactionDetail(APIView):
    @extend_schema(
        operation_id="get_transaction",
        tags=["transactions"],
        responses={200: io.TransactionOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, entry_id: UUID) -> Response:
        return transaction_response(entry_id)


class TransactionReversals(APIView):
    @extend_schema(
        operation_id="reverse_transaction",
        tags=["transactions"],
        request=io.ReversalInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.TransactionOutput, **ERROR_RESPONSES},
        summary="Correct a transaction by reversing it",
    )
    @idempotent
    def post(self, request: Request, entry_id: UUID) -> Response:
        data = io.ReversalInput(data=request.data)
        data.is_valid(raise_exception=True)
        reversal_id = use_cases.reverse_transaction(
            uow=unit_of_work(), entry_id=entry_id, on=data.validated_data.get("date")
        )
        return transaction_response(reversal_id, status_code=status.HTTP_201_CREATED)


class AccountAdjustments(APIView):
    @extend_schema(
        operation_id="adjust_balance",
        tags=["accounts"],
        request=io.AdjustmentInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.TransactionOutput, **ERROR_RESPONSES},
        summary="Set the balance to what the bank says (records the difference)",
    )
    @idempotent
    def post(self, request: Request, account_id: UUID) -> Response:
        data = io.AdjustmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry_id = use_cases.adjust_balance(
            uow=unit_of_work(),
            account_id=account_id,
            balance=data.validated_data["balance"],
            on=data.validated_data["date"],
        )
        return transaction_response(entry_id, status_code=status.HTTP_201_CREATED)


class AccountValuations(APIView):
    @extend_schema(
        operation_id="record_valuation",
        tags=["accounts"],
        request=io.ValuationInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.TransactionOutput, **ERROR_RESPONSES},
        summary="The market value of a property, vehicle or investment on a date",
    )
    @idempotent
    def post(self, request: Request, account_id: UUID) -> Response:
        data = io.ValuationInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry_id = use_cases.record_valuation(
            uow=unit_of_work(),
            account_id=account_id,
            value=data.validated_data["value"],
            on=data.validated_data["date"],
        )
        return transaction_response(entry_id, status_code=status.HTTP_201_CREATED)


class CategoryPage(CursorPage):
    ordering = ("kind", "name", "id")


def category_response(category_id: UUID, *, status_code: int = 200) -> Response:
    category = Category.objects.filter(id=category_id).first()
    if category is None:
        raise NotFoundError(gettext_noop("No such category."))
    return Response(io.CategoryOutput(category).data, status=status_code)


class CategoryList(APIView):
    @extend_schema(
        operation_id="list_categories",
        tags=["categories"],
        responses={
            200: page_schema("CategoryPage", io.CategoryOutput(many=True)),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request) -> Response:
        paginator = CategoryPage()
        page = (
            paginator.paginate_queryset(Category.objects.all(), request, view=self)
            or []
        )
        return paginator.get_paginated_response(io.CategoryOutput(page, many=True).data)

    @extend_schema(
        operation_id="create_category",
        tags=["categories"],
        request=io.CategoryInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.CategoryOutput, **ERROR_RESPONSES},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.CategoryInput(data=request.data)
        data.is_valid(raise_exception=True)
        category_id = category_cases.create_category(
            uow=unit_of_work(),
            command=category_cases.CreateCategory(
                name=data.validated_data["name"],
                kind=CategoryKind(data.validated_data["kind"]),
                parent=data.validated_data.get("parent"),
            ),
        )
        return category_response(category_id, status_code=status.HTTP_201_CREATED)


class CategoryDetail(APIView):
    @extend_schema(
        operation_id="get_category",
        tags=["categories"],
        responses={200: io.CategoryOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, category_id: UUID) -> Response:
        return category_response(category_id)

    @extend_schema(
        operation_id="update_category",
        tags=["categories"],
        request=io.CategoryPatchInput,
        responses={200: io.CategoryOutput, **ERROR_RESPONSES},
        summary="Rename, regroup, archive or restore",
    )
    def patch(self, request: Request, category_id: UUID) -> Response:
        data = io.CategoryPatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        category_cases.change_category(
            uow=unit_of_work(),
            command=category_cases.ChangeCategory(
                category_id=category_id, **data.validated_data
            ),
        )
        return category_response(category_id)
