"""Notifications and the event feed on the wire."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from modules.notifications.infrastructure.models import Notification
from modules.notifications.infrastructure.texts import title_and_body
from modules.shared.domain.notifications import KIND_VALUES
from modules.shared.interfaces.api.fields import (
    BooleanField,
    QuerySerializer,
    UUIDField,
)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An overdrawn account",
            value={
                "id": "3a7d1c0e-5b6f-4e2a-9c8d-7f6e5d4c3b2a",
                "kind": "account_overdrawn",
                "title": "Checking is overdrawn",
                "body": "The balance of Checking is now -€12.50.",
                "created_at": "2026-11-23T10:00:00Z",
                "read": False,
                "read_at": None,
            },
            response_only=True,
        )
    ]
)
class NotificationOutput(serializers.Serializer):
    id = UUIDField()
    kind = serializers.ChoiceField(choices=KIND_VALUES)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_title(self, row: Notification) -> str:
        return self._texts(row)[0]

    def get_body(self, row: Notification) -> str:
        return self._texts(row)[1]

    def get_read(self, row: Notification) -> bool:
        return row.read_at is not None

    def _texts(self, row: Notification) -> tuple[str, str]:
        with translation.override(translation.get_language()):
            return title_and_body(row.kind, row.params)


class NotificationQuery(QuerySerializer):
    unread = BooleanField(
        required=False, default=False, help_text="Only notifications not yet read."
    )


class NotificationPatchInput(serializers.Serializer):
    read = BooleanField()
