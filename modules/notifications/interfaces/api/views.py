"""In-app notifications. Views parse, call, render."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.notifications.application import use_cases
from modules.notifications.infrastructure.models import Notification
from modules.notifications.infrastructure.stores import unread_count
from modules.notifications.infrastructure.uow import unit_of_work
from modules.notifications.interfaces.api import serializers as io
from modules.shared.interfaces.api.pagination import CursorPage, page_schema
from modules.shared.interfaces.api.schema import ERROR_RESPONSES

UNREAD_COUNT_HEADER = "X-Unread-Count"


class NotificationPage(CursorPage):
    ordering = ("-created_at", "-id")


class NotificationList(APIView):
    @extend_schema(
        operation_id="list_notifications",
        tags=["notifications"],
        parameters=[io.NotificationQuery],
        responses={
            200: page_schema("NotificationPage", io.NotificationOutput(many=True)),
            **ERROR_RESPONSES,
        },
        summary="Newest first; the unread count is in the X-Unread-Count header",
    )
    def get(self, request: Request) -> Response:
        query = io.NotificationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = Notification.objects.all()
        if query.validated_data["unread"]:
            rows = rows.filter(read_at__isnull=True)
        paginator = NotificationPage()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        response = paginator.get_paginated_response(
            io.NotificationOutput(page, many=True).data
        )
        response[UNREAD_COUNT_HEADER] = str(unread_count())
        return response


class NotificationDetail(APIView):
    @extend_schema(
        operation_id="update_notification",
        tags=["notifications"],
        request=io.NotificationPatchInput,
        responses={200: io.NotificationOutput, **ERROR_RESPONSES},
        summary="Mark a notification read (or unread again)",
    )
    def patch(self, request: Request, notification_id: UUID) -> Response:
        data = io.NotificationPatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        use_cases.mark_read(
            uow=unit_of_work(),
            notification_id=notification_id,
            read=data.validated_data["read"],
        )
        row = Notification.objects.get(id=notification_id)
        response = Response(io.NotificationOutput(row).data)
        response[UNREAD_COUNT_HEADER] = str(unread_count())
        return response
