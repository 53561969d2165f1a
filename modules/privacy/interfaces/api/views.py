"""Exports of everything a person has. Views parse, call, render."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.identity import api as identity
from modules.privacy.application.closure import CloseAccount, close_account
from modules.privacy.application.use_cases import request_export
from modules.privacy.infrastructure.closure import closure_unit_of_work
from modules.privacy.infrastructure.models import DataExport
from modules.privacy.infrastructure.uow import unit_of_work
from modules.privacy.interfaces.api.serializers import (
    CloseAccountInput,
    CloseAccountOutput,
    ExportOutput,
)
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.schema import ERROR_RESPONSES, ErrorResponse

NOT_FOUND = {404: OpenApiResponse(ErrorResponse, description="No such export")}


class ExportList(APIView):
    @extend_schema(
        operation_id="create_export",
        tags=["privacy"],
        request=None,
        responses={202: ExportOutput, **ERROR_RESPONSES},
        summary="Export everything as JSON and CSV in one zip",
        description=(
            "Written in the background; follow it with GET .../exports/{id} or the "
            "`export.progress` and `export.ready` events. While an export is still "
            "being written, asking again returns that one."
        ),
    )
    def post(self, request: Request) -> Response:
        export_id = request_export(uow=unit_of_work(), requested_by=request.user.id)
        export = DataExport.objects.get(id=export_id)
        body = ExportOutput(export, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ExportDetail(APIView):
    @extend_schema(
        operation_id="get_export",
        tags=["privacy"],
        responses={200: ExportOutput, **NOT_FOUND, **ERROR_RESPONSES},
        summary="An export's status, progress and, once ready, its download link",
    )
    def get(self, request: Request, export_id: UUID) -> Response:
        export = DataExport.objects.filter(id=export_id).first()
        if export is None:
            raise NotFoundError(gettext_noop("No such export."))
        return Response(ExportOutput(export, context={"request": request}).data)


class Me(identity.Me):
    """The profile (identity's view), and closing the account."""

    @extend_schema(
        operation_id="close_account",
        tags=["privacy"],
        request=CloseAccountInput,
        responses={202: CloseAccountOutput, **ERROR_RESPONSES},
        summary="Close the account: refused at once, erased after the grace period",
        description=(
            "Every sign-in, token and socket of the account stops at once. An email "
            "carries a link that reopens it until `erase_after`; then every row of "
            "the account is erased."
        ),
    )
    def delete(self, request: Request) -> Response:
        data = CloseAccountInput(data=request.data)
        data.is_valid(raise_exception=True)
        erase_after = close_account(
            uow=closure_unit_of_work(),
            command=CloseAccount(member_id=request.user.id, **data.validated_data),
        )
        body = CloseAccountOutput({"erase_after": erase_after}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)
