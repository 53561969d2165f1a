"""The event feed's query and answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)


class EventQuery(QuerySerializer):
    after = UUIDField(
        required=False,
        help_text="The last event id the client has; omit to start from the oldest.",
    )
    limit = serializers.IntegerField(
        required=False, default=100, min_value=1, max_value=500
    )


class EventOutput(serializers.Serializer):
    id = UUIDField()
    sequence = serializers.IntegerField(
        help_text="The person's events are numbered 1, 2, 3...; a jump means a gap."
    )
    type = CharField(help_text="Its data follows contracts/events/<type>.")
    occurred_at = serializers.DateTimeField()
    data = serializers.DictField(help_text="Per type: see contracts/events/.")


class EventFeedOutput(serializers.Serializer):
    results = EventOutput(many=True)
    has_more = BooleanField(
        help_text="Ask again with `after` set to the last id to get the rest."
    )

    @staticmethod
    def of(events: list[dict[str, Any]], *, has_more: bool) -> dict[str, Any]:
        return {"results": events, "has_more": has_more}
