"""`GET /api/v1/events`: what the websocket sent, for a client that was away."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modules.live.infrastructure import feed
from modules.live.interfaces.api import serializers as io
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop
from modules.shared.interfaces.api.schema import ERROR_RESPONSES


class EventFeed(APIView):
    @extend_schema(
        operation_id="list_events",
        tags=["events"],
        parameters=[io.EventQuery],
        responses={200: io.EventFeedOutput, **ERROR_RESPONSES},
        summary="The events the websocket sends, oldest first, after a given event",
    )
    def get(self, request: Request) -> Response:
        query = io.EventQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data["limit"]
        try:
            rows = feed.events_after(query.validated_data.get("after"), limit + 1)
        except feed.UnknownEvent:
            message = gettext_noop("No such event: fetch the current state instead.")
            raise ValidationError.for_field(
                "after", message, code="unknown_event"
            ) from None
        events = [row.envelope() for row in rows[:limit]]
        return Response(io.EventFeedOutput.of(events, has_more=len(rows) > limit))
