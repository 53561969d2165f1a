"""The budgets API: list with current figures, set, read, change, archive, and the
figures of past periods."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.budgets.application.use_cases import (
    BudgetView,
    CreateBudget,
    UpdateBudget,
    budget_views,
    create_budget,
    past_figures,
    today,
    update_budget,
)
from modules.budgets.domain.budgets import Budget
from modules.budgets.domain.periods import PeriodKind
from modules.budgets.infrastructure.models import Budget as BudgetRow
from modules.budgets.infrastructure.stores import to_domain
from modules.budgets.infrastructure.uow import DjangoUnitOfWork, unit_of_work
from modules.budgets.interfaces.api import serializers as io
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.idempotency import idempotent
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES

BudgetPage = page_schema("BudgetPage", io.BudgetOutput(many=True))
PeriodPage = page_schema("BudgetPeriodPage", io.FiguresOutput(many=True))
HISTORY_PAGE = 12


class BudgetPagination(CursorPage):
    ordering = ("name", "id")


def views_of(budgets: list[Budget], uow: DjangoUnitOfWork) -> list[BudgetView]:
    return budget_views(budgets, ledger=uow.ledger, on=today(uow))


def budget_of(budget_id: UUID, uow: DjangoUnitOfWork) -> Budget:
    budget = uow.budgets.get(budget_id)
    if budget is None:
        raise NotFoundError(gettext_noop("No such budget."))
    return budget


class BudgetList(APIView):
    @extend_schema(
        operation_id="list_budgets",
        tags=["budgets"],
        responses={200: BudgetPage, **ERROR_RESPONSES},
        summary="Budgets with the figures of their current period",
    )
    def get(self, request: Request) -> Response:
        # The same handful of queries for one budget or a page of a hundred.
        paginator = BudgetPagination()
        rows = paginator.paginate_queryset(BudgetRow.objects.all(), request, view=self)
        budgets = [to_domain(row) for row in rows or []]
        views = views_of(budgets, unit_of_work())
        return paginator.get_paginated_response(io.BudgetOutput(views, many=True).data)

    @extend_schema(
        operation_id="create_budget",
        tags=["budgets"],
        request=io.BudgetInput,
        responses={201: io.BudgetOutput, **ERROR_RESPONSES},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.BudgetInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        uow = unit_of_work()
        budget = create_budget(
            uow=uow,
            command=CreateBudget(
                category_id=fields.get("category") or fields["category_group"],
                group="category_group" in fields,
                period=PeriodKind(fields["period"]),
                amount=fields["amount"],
                name=fields.get("name", ""),
                currency=fields.get("currency"),
                rollover=fields["rollover"],
                starts_on=fields.get("starts_on"),
            ),
        )
        return Response(
            io.BudgetOutput(views_of([budget], uow)[0]).data,
            status=status.HTTP_201_CREATED,
        )


class BudgetDetail(APIView):
    @extend_schema(
        operation_id="get_budget",
        tags=["budgets"],
        responses={200: io.BudgetOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, budget_id: UUID) -> Response:
        uow = unit_of_work()
        return Response(
            io.BudgetOutput(views_of([budget_of(budget_id, uow)], uow)[0]).data
        )

    @extend_schema(
        operation_id="update_budget",
        tags=["budgets"],
        request=io.BudgetPatchInput,
        responses={200: io.BudgetOutput, **ERROR_RESPONSES},
        summary="Rename, change the limit or rollover, archive or restore",
    )
    def patch(self, request: Request, budget_id: UUID) -> Response:
        data = io.BudgetPatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        uow = unit_of_work()
        budget = update_budget(
            uow=uow, command=UpdateBudget(budget_id=budget_id, **data.validated_data)
        )
        return Response(io.BudgetOutput(views_of([budget], uow)[0]).data)

    @extend_schema(
        operation_id="archive_budget",
        tags=["budgets"],
        responses={204: None, **ERROR_RESPONSES},
        summary="Archive: the budget stops counting, its history stays",
        description='`PATCH {"archived": false}` restores it.',
    )
    def delete(self, request: Request, budget_id: UUID) -> Response:
        update_budget(
            uow=unit_of_work(), command=UpdateBudget(budget_id=budget_id, archived=True)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class BudgetPeriods(APIView):
    @extend_schema(
        operation_id="list_budget_periods",
        tags=["budgets"],
        parameters=[
            OpenApiParameter(
                "before", str, description="Cursor: a period's first day."
            ),
            OpenApiParameter("limit", int, description="Default 12, at most 100."),
        ],
        responses={200: PeriodPage, **ERROR_RESPONSES},
        summary="Past periods, newest first, with limit, spent and what rolled over",
    )
    def get(self, request: Request, budget_id: UUID) -> Response:
        query = io.PeriodQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data.get("limit", HISTORY_PAGE)
        uow = unit_of_work()
        budget = budget_of(budget_id, uow)
        periods, more = past_figures(
            budget,
            ledger=uow.ledger,
            on=today(uow),
            before=query.validated_data.get("before"),
            limit=limit,
        )
        next_url = None
        if more:
            next_url = request.build_absolute_uri(
                f"{request.path}?before={periods[-1].period.starts_on}&limit={limit}"
            )
        return Response(
            {
                "results": io.FiguresOutput(periods, many=True).data,
                "next": next_url,
                "previous": None,
            }
        )
