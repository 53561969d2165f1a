"""The recurring API: rules (CRUD, pause, resume, skip, change from a date), their
occurrences, bills and the cash-flow forecast."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.recurring.application import use_cases
from modules.recurring.domain.bills import BillState
from modules.recurring.domain.forecasts import Forecast
from modules.recurring.infrastructure import selectors
from modules.recurring.infrastructure.models import RecurringRule
from modules.recurring.infrastructure.uow import unit_of_work
from modules.recurring.interfaces.api import serializers as io
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.idempotency import idempotent
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES

TAG = ["recurring"]
MAX_WINDOW_DAYS = 366

RulePage = page_schema("RecurringTransactionPage", io.RuleOutput(many=True))
OccurrencePage = page_schema("OccurrencePage", io.OccurrenceOutput(many=True))
WINDOW = [io.WindowQuery]


def rule_data(row: RecurringRule, next_date: date | None) -> dict[str, Any]:
    transfer = row.kind == "transfer"
    return {
        "id": row.id,
        "name": row.name,
        "template": {
            "type": row.kind,
            "account": None if transfer else row.account_id,
            "from_account": row.account_id if transfer else None,
            "to_account": row.to_account_id,
            "amount": selectors.to_domain(row).template.amount,
            "category": row.category_id,
            "payee": row.payee,
            "description": row.note,
        },
        "rule": {
            "frequency": row.frequency,
            "interval": row.interval,
            "day_of_month": row.day_of_month,
            "weekday": row.weekday,
        },
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "count": row.count,
        "is_bill": row.is_bill,
        "paused": row.paused,
        "next_date": next_date,
        "continued_as": row.replaced_by_id,
        "created_at": row.created_at,
    }


def rules_data(rows: list[RecurringRule]) -> list[dict[str, Any]]:
    upcoming = selectors.next_dates(rows, selectors.owner_today())
    return [rule_data(row, upcoming[row.id]) for row in rows]


def one_rule(rule_id: UUID) -> dict[str, Any]:
    return rules_data([selectors.rule_row(rule_id)])[0]


def schedule_input(fields: dict[str, Any]) -> use_cases.ScheduleInput:
    rule = fields["rule"]
    return use_cases.ScheduleInput(
        frequency=rule["frequency"],
        interval=rule.get("interval", 1),
        day_of_month=rule.get("day_of_month"),
        weekday=rule.get("weekday"),
        starts_on=fields["starts_on"],
        ends_on=fields.get("ends_on"),
        count=fields.get("count"),
    )


def template_input(fields: dict[str, Any]) -> use_cases.TemplateInput:
    transfer = fields["type"] == "transfer"
    return use_cases.TemplateInput(
        kind=fields["type"],
        account_id=fields["from_account"] if transfer else fields["account"],
        to_account_id=fields.get("to_account") if transfer else None,
        amount=fields["amount"],
        category_id=fields.get("category"),
        payee=fields.get("payee", ""),
        note=fields.get("description", ""),
    )


def default_name(template: dict[str, Any]) -> str:
    return template.get("payee") or template.get("description") or template["type"]


class RulePagination(CursorPage):
    ordering = ("name", "id")


class RuleList(APIView):
    @extend_schema(
        operation_id="list_recurring_transactions",
        tags=TAG,
        responses={200: RulePage, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        paginator = RulePagination()
        rows: QuerySet[RecurringRule] = selectors.rule_rows()
        page = list(paginator.paginate_queryset(rows, request, view=self) or [])
        return paginator.get_paginated_response(
            io.RuleOutput(rules_data(page), many=True).data
        )

    @extend_schema(
        operation_id="create_recurring_transaction",
        tags=TAG,
        request=io.RuleInput,
        responses={201: io.RuleOutput, **ERROR_RESPONSES},
        summary="A template of money in, money out or a transfer, and its schedule",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.RuleInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        rule_id = use_cases.create_rule(
            uow=unit_of_work(),
            command=use_cases.CreateRule(
                name=fields.get("name") or default_name(fields["template"]),
                template=template_input(fields["template"]),
                schedule=schedule_input(fields),
                is_bill=fields["is_bill"],
            ),
        )
        return Response(
            io.RuleOutput(one_rule(rule_id)).data, status=status.HTTP_201_CREATED
        )


class RuleDetail(APIView):
    @extend_schema(
        operation_id="get_recurring_transaction",
        tags=TAG,
        responses={200: io.RuleOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, rule_id: UUID) -> Response:
        return Response(io.RuleOutput(one_rule(rule_id)).data)

    @extend_schema(
        operation_id="update_recurring_transaction",
        tags=TAG,
        request=io.RulePatchInput,
        responses={200: io.RuleOutput, **ERROR_RESPONSES},
        summary="Rename, or change the amount, category, payee or description of the "
        "dates still to come (recorded transactions never change)",
    )
    def patch(self, request: Request, rule_id: UUID) -> Response:
        data = io.RulePatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        renamed = {"category": "category_id", "description": "note"}
        use_cases.update_rule(
            uow=unit_of_work(),
            command=use_cases.UpdateRule(
                rule_id=rule_id, **{renamed.get(k, k): v for k, v in fields.items()}
            ),
        )
        return Response(io.RuleOutput(one_rule(rule_id)).data)

    @extend_schema(
        operation_id="delete_recurring_transaction",
        tags=TAG,
        responses={204: None, **ERROR_RESPONSES},
        summary="Stop and remove the rule; what it recorded stays in the ledger",
    )
    def delete(self, request: Request, rule_id: UUID) -> Response:
        use_cases.delete_rule(uow=unit_of_work(), rule_id=rule_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RulePauses(APIView):
    @extend_schema(
        operation_id="pause_recurring_transaction",
        tags=TAG,
        request=None,
        responses={201: io.RuleOutput, **ERROR_RESPONSES},
        summary="Pause: nothing is recorded until it is resumed",
    )
    @idempotent
    def post(self, request: Request, rule_id: UUID) -> Response:
        use_cases.pause_rule(uow=unit_of_work(), rule_id=rule_id)
        return Response(
            io.RuleOutput(one_rule(rule_id)).data, status=status.HTTP_201_CREATED
        )


class RuleResumptions(APIView):
    @extend_schema(
        operation_id="resume_recurring_transaction",
        tags=TAG,
        request=None,
        responses={201: io.RuleOutput, **ERROR_RESPONSES},
        summary="Resume from today; the dates while paused are not recorded",
    )
    @idempotent
    def post(self, request: Request, rule_id: UUID) -> Response:
        use_cases.resume_rule(uow=unit_of_work(), rule_id=rule_id)
        return Response(
            io.RuleOutput(one_rule(rule_id)).data, status=status.HTTP_201_CREATED
        )


class RuleSkips(APIView):
    @extend_schema(
        operation_id="skip_recurring_occurrence",
        tags=TAG,
        request=io.SkipInput,
        responses={201: io.OccurrenceOutput, **ERROR_RESPONSES},
        summary="Leave one date out",
    )
    @idempotent
    def post(self, request: Request, rule_id: UUID) -> Response:
        data = io.SkipInput(data=request.data)
        data.is_valid(raise_exception=True)
        on = data.validated_data["date"]
        use_cases.skip_occurrence(uow=unit_of_work(), rule_id=rule_id, on=on)
        (skipped,) = selectors.occurrences(
            [rule_id], start=on, end=on, today=selectors.owner_today()
        )
        return Response(
            io.OccurrenceOutput(skipped).data, status=status.HTTP_201_CREATED
        )


class RuleChanges(APIView):
    @extend_schema(
        operation_id="change_recurring_transaction_from",
        tags=TAG,
        request=io.ChangeInput,
        responses={201: io.RuleOutput, **ERROR_RESPONSES},
        summary="From a date on: the old rule ends the day before, a new one goes on",
    )
    @idempotent
    def post(self, request: Request, rule_id: UUID) -> Response:
        data = io.ChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        changes: dict[str, Any] = {}
        if "amount" in fields:
            changes["amount"] = fields["amount"]
        changes.update(fields.get("rule", {}))
        new_id = use_cases.change_from(
            uow=unit_of_work(),
            command=use_cases.ChangeFrom(
                rule_id=rule_id, on=fields["from_date"], **changes
            ),
        )
        return Response(
            io.RuleOutput(one_rule(new_id)).data, status=status.HTTP_201_CREATED
        )


def window(request: Request) -> tuple[date, date, date]:
    query = io.WindowQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    today = selectors.owner_today()
    start = query.validated_data.get("from") or today
    end = query.validated_data.get("to") or start + timedelta(days=90)
    if end < start or (end - start).days > MAX_WINDOW_DAYS:
        raise ValidationError.for_field(
            "to", gettext_noop("Ask for at most 366 days, ending after the start.")
        )
    return start, end, today


def occurrence_page(views: list[selectors.OccurrenceView]) -> Response:
    """A window is the page: its dates are computed, not stored."""
    return Response(
        {
            "results": io.OccurrenceOutput(views, many=True).data,
            "next": None,
            "previous": None,
        }
    )


class RuleOccurrences(APIView):
    @extend_schema(
        operation_id="list_recurring_occurrences",
        tags=TAG,
        parameters=WINDOW,
        responses={200: OccurrencePage, **ERROR_RESPONSES},
        summary="The rule's dates in a window: what happened, and what is upcoming",
    )
    def get(self, request: Request, rule_id: UUID) -> Response:
        selectors.rule_row(rule_id)
        start, end, today = window(request)
        return occurrence_page(
            selectors.occurrences([rule_id], start=start, end=end, today=today)
        )


class UpcomingOccurrences(APIView):
    @extend_schema(
        operation_id="list_upcoming_occurrences",
        tags=TAG,
        parameters=WINDOW,
        responses={200: OccurrencePage, **ERROR_RESPONSES},
        summary="Every rule's dates in a window, in date order",
    )
    def get(self, request: Request) -> Response:
        start, end, today = window(request)
        return occurrence_page(
            selectors.occurrences(None, start=start, end=end, today=today)
        )


class Bills(APIView):
    @extend_schema(
        operation_id="list_bills",
        tags=TAG,
        parameters=[io.BillsQuery],
        responses={200: io.BillsOutput, **ERROR_RESPONSES},
        summary="The month's bills with their state, overdue bills, and totals",
    )
    def get(self, request: Request) -> Response:
        today = selectors.owner_today()
        query = io.BillsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = month_param(query.validated_data.get("month"))
        found = selectors.bills_of_month(today, month)
        totals = [{"state": "due", "amount": money} for money in found.due.values()] + [
            {"state": state.value, "amount": money}
            for state in (BillState.PAID, BillState.UPCOMING, BillState.OVERDUE)
            for money in found.totals(state).values()
        ]
        return Response(
            io.BillsOutput(
                {
                    "month": found.month_start.strftime("%Y-%m"),
                    "results": found.bills,
                    "overdue": selectors.overdue_bills(today),
                    "totals": totals,
                }
            ).data
        )


def month_param(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ValidationError.for_field(
            "month", gettext_noop("Use a month like 2026-11."), code="invalid_month"
        ) from None


class BillPayments(APIView):
    @extend_schema(
        operation_id="confirm_bill",
        tags=TAG,
        request=io.BillPaymentInput,
        responses={201: io.TransactionRef, **ERROR_RESPONSES},
        summary="The bill was paid: record it as planned, on its due date",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.BillPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        transaction_id = use_cases.confirm_bill(
            uow=unit_of_work(),
            rule_id=data.validated_data["rule"],
            on=data.validated_data["date"],
        )
        return Response({"transaction": transaction_id}, status=status.HTTP_201_CREATED)


def forecast_data(forecast: Forecast) -> dict[str, Any]:
    return {
        "currency": forecast.currency,
        "lowest": forecast.lowest,
        "below_zero": forecast.below_zero,
        "below_buffer": forecast.below_buffer,
        "days": forecast,
    }


class CashFlowForecast(APIView):
    @extend_schema(
        operation_id="forecast",
        tags=["reports"],
        parameters=[io.ForecastQuery],
        responses={200: io.ForecastReportOutput, **ERROR_RESPONSES},
        summary="Projected daily balances from today's, with the rules and bills to come",
    )
    def get(self, request: Request) -> Response:
        query = io.ForecastQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        report = selectors.forecast(
            today=selectors.owner_today(),
            days=params["days"],
            account_id=params.get("account"),
            buffer=params.get("buffer"),
        )
        in_base = report.in_base
        return Response(
            io.ForecastReportOutput(
                {
                    "today": report.today,
                    "days": report.days,
                    "accounts": [
                        {
                            "account": f.account.row.id,
                            "name": f.account.row.name,
                            **forecast_data(f.forecast),
                        }
                        for f in report.accounts
                    ],
                    "totals": [forecast_data(f) for f in report.by_currency],
                    "total_in_base": (
                        forecast_data(in_base.forecast)
                        if in_base and in_base.forecast
                        else None
                    ),
                    "missing_rates": in_base.missing if in_base else [],
                }
            ).data
        )
