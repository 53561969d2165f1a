"""The loans API: take out, list, read, rename or archive; the schedule; payments,
extra payments and rate changes; payoff figures. Views parse, call one use case,
and render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.loans.application import use_cases
from modules.loans.domain import loans as rules
from modules.loans.domain.schedule import ExtraEffect, Method
from modules.loans.infrastructure import selectors
from modules.loans.infrastructure.uow import unit_of_work
from modules.loans.interfaces.api import serializers as io
from modules.shared.domain.money import Money
from modules.shared.interfaces.api.idempotency import idempotent
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES

LoanPage = page_schema("LoanPage", io.LoanOutput(many=True))
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    description="Same key and body replay the first answer; another body answers 422.",
)


class LoanPagination(CursorPage):
    ordering = ("name", "id")


def loan_response(loan_id: UUID, *, status_code: int = 200) -> Response:
    return Response(
        io.LoanOutput(selectors.loan_view(loan_id)).data, status=status_code
    )


class LoanList(APIView):
    @extend_schema(
        operation_id="list_loans",
        tags=["loans"],
        responses={200: LoanPage, **ERROR_RESPONSES},
        summary="Loans with their payment, payoff date and what is owed",
    )
    def get(self, request: Request) -> Response:
        paginator = LoanPagination()
        page = (
            paginator.paginate_queryset(selectors.loan_rows(), request, view=self) or []
        )
        return paginator.get_paginated_response(
            io.LoanOutput(selectors.loan_views(page), many=True).data
        )

    @extend_schema(
        operation_id="create_loan",
        tags=["loans"],
        request=io.LoanInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.LoanOutput, **ERROR_RESPONSES},
        summary="Take out a loan: its liability account opens owing the principal",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = io.LoanInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        loan = use_cases.create_loan(
            uow=unit_of_work(),
            command=use_cases.CreateLoan(
                name=fields["name"],
                currency=fields["currency"],
                principal=fields["principal"],
                annual_rate=fields["annual_rate"],
                term_months=fields["term_months"],
                first_payment_on=fields["first_payment_on"],
                method=Method(fields["method"]),
                paid_from_id=fields.get("paid_from"),
                interest_category_name=gettext("Interest"),
            ),
        )
        return loan_response(loan.id, status_code=status.HTTP_201_CREATED)


class LoanDetail(APIView):
    @extend_schema(
        operation_id="get_loan",
        tags=["loans"],
        responses={200: io.LoanOutput, **ERROR_RESPONSES},
    )
    def get(self, request: Request, loan_id: UUID) -> Response:
        return loan_response(loan_id)

    @extend_schema(
        operation_id="update_loan",
        tags=["loans"],
        request=io.LoanPatchInput,
        responses={200: io.LoanOutput, **ERROR_RESPONSES},
        summary="Rename, change the paying account, make payments recurring, archive or restore",
    )
    def patch(self, request: Request, loan_id: UUID) -> Response:
        data = io.LoanPatchInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "paid_from" in fields:
            fields["paid_from_id"] = fields.pop("paid_from")
        use_cases.update_loan(
            uow=unit_of_work(),
            command=use_cases.UpdateLoan(loan_id=loan_id, **fields),
        )
        return loan_response(loan_id)

    @extend_schema(
        operation_id="delete_loan",
        tags=["loans"],
        responses={204: None, **ERROR_RESPONSES},
        summary="Archive the loan and its account (its transactions stay)",
    )
    def delete(self, request: Request, loan_id: UUID) -> Response:
        use_cases.update_loan(
            uow=unit_of_work(),
            command=use_cases.UpdateLoan(loan_id=loan_id, archived=True),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoanSchedule(APIView):
    @extend_schema(
        operation_id="get_loan_schedule",
        tags=["loans"],
        responses={200: io.ScheduleRowOutput(many=True), **ERROR_RESPONSES},
        summary="Every payment, re-planned by extra payments and rate changes",
    )
    def get(self, request: Request, loan_id: UUID) -> Response:
        loan = selectors.loan_or_not_found(loan_id)
        return Response(
            io.schedule_rows(
                loan.schedule().rows, currency=loan.currency, paid=len(loan.payments)
            )
        )


class LoanPayments(APIView):
    @extend_schema(
        operation_id="record_loan_payment",
        tags=["loans"],
        request=io.PaymentInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.PaymentOutput, **ERROR_RESPONSES},
        summary="Pay the next row: one entry, principal to the loan, interest an expense",
    )
    @idempotent
    def post(self, request: Request, loan_id: UUID) -> Response:
        data = io.PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        payment = use_cases.record_payment(
            uow=unit_of_work(),
            command=use_cases.RecordPayment(
                loan_id=loan_id,
                on=fields["date"],
                amount=fields.get("amount"),
                extra=fields.get("extra"),
                extra_effect=ExtraEffect(fields["extra_effect"]),
            ),
        )
        extra = fields.get("extra") or "0"
        body = {
            "number": payment.number,
            "date": payment.paid_on,
            "payment": payment.principal + payment.interest,
            "principal": payment.principal,
            "interest": payment.interest,
            "extra": Money.parse(extra, payment.principal.currency),
            "transaction": payment.entry_id,
        }
        return Response(io.PaymentOutput(body).data, status=status.HTTP_201_CREATED)


class LoanExtraPayments(APIView):
    @extend_schema(
        operation_id="record_loan_extra_payment",
        tags=["loans"],
        request=io.ExtraPaymentInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.LoanOutput, **ERROR_RESPONSES},
        summary="Pay extra off the balance; answers the re-planned loan",
    )
    @idempotent
    def post(self, request: Request, loan_id: UUID) -> Response:
        data = io.ExtraPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        use_cases.record_extra_payment(
            uow=unit_of_work(),
            command=use_cases.RecordExtraPayment(
                loan_id=loan_id,
                on=fields["date"],
                amount=fields["amount"],
                effect=ExtraEffect(fields["effect"]),
            ),
        )
        return loan_response(loan_id, status_code=status.HTTP_201_CREATED)


class LoanRateChanges(APIView):
    @extend_schema(
        operation_id="change_loan_rate",
        tags=["loans"],
        request=io.RateChangeInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: io.LoanOutput, **ERROR_RESPONSES},
        summary="A new rate from a date; answers the re-planned loan",
    )
    @idempotent
    def post(self, request: Request, loan_id: UUID) -> Response:
        data = io.RateChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = data.validated_data
        use_cases.change_rate(
            uow=unit_of_work(),
            command=use_cases.ChangeRate(
                loan_id=loan_id, on=fields["date"], annual_rate=fields["annual_rate"]
            ),
        )
        return loan_response(loan_id, status_code=status.HTTP_201_CREATED)


class LoanPayoff(APIView):
    @extend_schema(
        operation_id="get_loan_payoff",
        tags=["loans"],
        parameters=[io.PayoffQuery],
        responses={200: io.PayoffOutput, **ERROR_RESPONSES},
        summary="Payoff date, interest paid, left and saved; what an extra would save",
    )
    def get(self, request: Request, loan_id: UUID) -> Response:
        query = io.PayoffQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        view = selectors.loan_view(loan_id)
        loan, schedule = view.loan, view.schedule
        body: dict[str, Any] = {
            "payoff_date": schedule.payoff_date,
            "balance": loan.outstanding(),
            "payments_left": view.payments_left,
            "total_interest": schedule.total_interest,
            "interest_paid": loan.interest_paid(),
            "interest_remaining": schedule.total_interest - loan.interest_paid(),
            "interest_saved": loan.interest_saved(),
            "preview": None,
        }
        wanted = query.validated_data
        if wanted.get("extra"):
            preview = rules.preview_extra(
                loan,
                on=wanted.get("date") or timezone.localdate(),
                amount=use_cases.parse_money(wanted["extra"], loan.currency, "extra"),
                effect=ExtraEffect(wanted["effect"]),
            )
            body["preview"] = {
                "payoff_date": preview.schedule.payoff_date,
                "total_interest": preview.schedule.total_interest,
                "interest_saved": preview.interest_saved,
            }
        return Response(io.PayoffOutput(body).data)
