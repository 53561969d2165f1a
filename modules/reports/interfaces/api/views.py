"""The reports API: net worth, cash flow and spending by category, per month, in the
base currency with per-currency detail; each also as CSV (`.csv`). The forecast,
also under reports/, is served by the recurring module."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.reports.interfaces import csv_export, params
from modules.reports.interfaces.api import serializers as io
from modules.shared.interfaces.api.schema import ERROR_RESPONSES

CSV = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR), **ERROR_RESPONSES}


def csv_response(text: str, name: str) -> HttpResponse:
    return HttpResponse(
        text,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class ReportView(APIView):
    """One report: built from the query, answered as JSON or (`as_csv`) CSV."""

    as_csv = False
    query: ClassVar[type[serializers.Serializer]] = io.RangeQuery
    name: ClassVar[str]
    output: ClassVar[type[serializers.Serializer]]
    build: ClassVar[Callable[[Mapping[str, str]], Any]]
    to_csv: ClassVar[Callable[[Any], str]]

    def get(self, request: Request) -> Response | HttpResponse:
        query = self.query(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = type(self).build(query.validated_data)
        if self.as_csv:
            return csv_response(
                type(self).to_csv(report), csv_export.filename(self.name, report)
            )
        return Response(self.output(report).data)


class NetWorth(ReportView):
    name, output = "net-worth", io.NetWorthReportOutput
    to_csv = staticmethod(csv_export.net_worth_csv)
    build = staticmethod(params.net_worth_from)

    @extend_schema(
        operation_id="net_worth_report",
        tags=["reports"],
        parameters=[io.RangeQuery],
        responses={200: io.NetWorthReportOutput, **ERROR_RESPONSES},
        summary="Assets, liabilities and net worth at the end of each month",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        return super().get(request)


class NetWorthCsv(NetWorth):
    as_csv = True

    @extend_schema(
        operation_id="net_worth_report_csv",
        tags=["reports"],
        parameters=[io.RangeQuery],
        responses=CSV,
    )
    def get(self, request: Request) -> Response | HttpResponse:
        return super().get(request)


class CashFlow(ReportView):
    name, output = "cash-flow", io.CashFlowReportOutput
    to_csv = staticmethod(csv_export.cash_flow_csv)
    build = staticmethod(params.cash_flow_from)

    @extend_schema(
        operation_id="cash_flow_report",
        tags=["reports"],
        parameters=[io.RangeQuery],
        responses={200: io.CashFlowReportOutput, **ERROR_RESPONSES},
        summary="Income, spending, net and savings rate of each month",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        return super().get(request)


class CashFlowCsv(CashFlow):
    as_csv = True

    @extend_schema(
        operation_id="cash_flow_report_csv",
        tags=["reports"],
        parameters=[io.RangeQuery],
        responses=CSV,
    )
    def get(self, request: Request) -> Response | HttpResponse:
        return super().get(request)


class Spending(ReportView):
    name, output = "spending-by-category", io.SpendingReportOutput
    query = io.SpendingQuery
    to_csv = staticmethod(csv_export.spending_csv)
    build = staticmethod(params.spending_from)

    @extend_schema(
        operation_id="spending_by_category_report",
        tags=["reports"],
        parameters=[io.SpendingQuery],
        responses={200: io.SpendingReportOutput, **ERROR_RESPONSES},
        summary="Net spending per category (or group) over the months, largest first",
    )
    def get(self, request: Request) -> Response | HttpResponse:
        return super().get(request)


class SpendingCsv(Spending):
    as_csv = True

    @extend_schema(
        operation_id="spending_by_category_report_csv",
        tags=["reports"],
        parameters=[io.SpendingQuery],
        responses=CSV,
    )
    def get(self, request: Request) -> Response | HttpResponse:
        return super().get(request)
